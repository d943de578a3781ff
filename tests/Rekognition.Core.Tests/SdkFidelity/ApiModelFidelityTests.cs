using System.Net;
using System.Reflection;
using System.Text.Json;
using Amazon.Runtime;
using Rekognition.Core.Model;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.SdkFidelity;

/// <summary>
/// The public types against the service's API model, mapped as the AWS SDK for .NET maps it: a shape is a
/// class of the same name in <c>Rekognition.Core.Model</c>, a list a <c>List&lt;T&gt;</c>, a map a
/// <c>Dictionary</c>, a timestamp a <c>DateTime?</c>, an enum a <see cref="ConstantClass"/>, an error an
/// <see cref="AmazonRekognitionException"/> with the shape's name as its code; every paginator of the model is
/// on <c>client.Paginators</c> with the SDK's members.
/// </summary>
public class ApiModelFidelityTests
{
    private static readonly Assembly Core = typeof(IAmazonRekognition).Assembly;
    private static readonly NullabilityInfoContext Nullability = new();
    private static readonly Lazy<JsonElement> Model = new(() => Load("rekognition-api/custom-labels-model.json"));

    private static JsonElement Shapes => Model.Value.GetProperty("shapes");

    private static JsonElement Load(string relative)
    {
        var path = SharedData.SpecPathOf(relative);
        Assert.That(File.Exists(path), Is.True, $"{path} is missing: shared/spec holds the service's API model.");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        return document.RootElement.Clone();
    }

    private static Type ModelType(string name) =>
        Core.GetType("Rekognition.Core.Model." + name) is { IsPublic: true } type ? type : throw new AssertionException($"No public Rekognition.Core.Model.{name}.");

    /// <summary>The C# type the SDK gives a member of shape <paramref name="shape"/>.</summary>
    private static Type MemberType(string shape)
    {
        var s = Shapes.GetProperty(shape);
        return s.GetProperty("type").GetString() switch
        {
            "string" when s.TryGetProperty("enum", out _) => ModelType(shape),
            "string" => typeof(string),
            "integer" => typeof(int?),
            "long" => typeof(long?),
            "float" => typeof(float?),
            "double" => typeof(double?),
            "boolean" => typeof(bool?),
            "timestamp" => typeof(DateTime?),
            "blob" => typeof(MemoryStream),
            "list" => typeof(List<>).MakeGenericType(MemberType(s.GetProperty("member").GetProperty("shape").GetString()!)),
            "map" => typeof(Dictionary<,>).MakeGenericType(MemberType(s.GetProperty("key").GetProperty("shape").GetString()!), MemberType(s.GetProperty("value").GetProperty("shape").GetString()!)),
            "structure" => ModelType(shape),
            var other => throw new AssertionException($"Shape {shape} has type {other}, which this test does not map."),
        };
    }

    [Test]
    public void EveryOperation_HasTheSdksMethodRequestResponseAndShapes()
    {
        var problems = new List<string>();
        var seen = new HashSet<string>();
        var pending = new Stack<string>();
        foreach (var operation in Model.Value.GetProperty("operations").EnumerateObject())
        {
            var name = operation.Name;
            var method = typeof(IAmazonRekognition).GetMethod(name + "Async", [ModelType(name + "Request"), typeof(CancellationToken)]);
            if (method?.ReturnType != typeof(Task<>).MakeGenericType(ModelType(name + "Response")))
            {
                problems.Add($"IAmazonRekognition.{name}Async({name}Request, CancellationToken) returning Task<{name}Response>");
            }

            if (!typeof(AmazonRekognitionRequest).IsAssignableFrom(ModelType(name + "Request")) || !typeof(AmazonWebServiceResponse).IsAssignableFrom(ModelType(name + "Response")))
            {
                problems.Add($"{name}Request : AmazonRekognitionRequest, {name}Response : Amazon.Runtime.AmazonWebServiceResponse");
            }

            pending.Push(operation.Value.GetProperty("input").GetProperty("shape").GetString()!);
            pending.Push(operation.Value.GetProperty("output").GetProperty("shape").GetString()!);
        }

        while (pending.TryPop(out var shape))
        {
            var s = Shapes.GetProperty(shape);
            if (!seen.Add(shape) || s.TryGetProperty("exception", out _))
            {
                continue;
            }

            switch (s.GetProperty("type").GetString())
            {
                case "list":
                    pending.Push(s.GetProperty("member").GetProperty("shape").GetString()!);
                    break;
                case "map":
                    pending.Push(s.GetProperty("value").GetProperty("shape").GetString()!);
                    break;
                case "string" when s.TryGetProperty("enum", out var values):
                    var type = ModelType(shape);
                    if (!typeof(ConstantClass).IsAssignableFrom(type))
                    {
                        problems.Add($"{shape} : Amazon.Runtime.ConstantClass");
                    }

                    foreach (var value in values.EnumerateArray().Select(v => v.GetString()!))
                    {
                        if ((type.GetField(value, BindingFlags.Public | BindingFlags.Static)?.GetValue(null) as ConstantClass)?.Value != value)
                        {
                            problems.Add($"{shape}.{value}");
                        }
                    }

                    break;
                case "structure":
                    foreach (var member in s.GetProperty("members").EnumerateObject())
                    {
                        var memberShape = member.Value.GetProperty("shape").GetString()!;
                        pending.Push(memberShape);
                        var property = ModelType(shape).GetProperty(member.Name);
                        var expected = MemberType(memberShape);
                        if (property is not { CanRead: true, CanWrite: true } || property.PropertyType != expected)
                        {
                            problems.Add($"{shape}.{member.Name} as a read/write {expected}");
                        }
                        else if (!expected.IsValueType && Nullability.Create(property).ReadState != NullabilityState.Unknown)
                        {
                            // The SDK's shapes carry no nullable annotations: an annotated member warns in ported code.
                            problems.Add($"{shape}.{member.Name} without nullable annotations");
                        }
                    }

                    break;
            }
        }

        Assert.That(problems, Is.Empty, "missing or different from the SDK's mapping of the API model");
        Assert.That(seen, Has.Count.GreaterThan(100), "the walk reached the model's shapes");
    }

    [Test]
    public void EveryError_IsAnAmazonServiceExceptionWithTheSdksConstructorsAndItsCode()
    {
        foreach (var shape in Shapes.EnumerateObject().Where(s => s.Value.TryGetProperty("exception", out _)))
        {
            var type = ModelType(shape.Name.EndsWith("Exception", StringComparison.Ordinal) ? shape.Name : shape.Name + "Exception");
            var fault = shape.Value.TryGetProperty("fault", out var f) && f.GetBoolean();
            Assert.That(type.BaseType, Is.EqualTo(typeof(AmazonRekognitionException)), type.Name);
            foreach (var parameters in SdkConstructors)
            {
                Assert.That(type.GetConstructor(parameters), Is.Not.Null, $"{type.Name}({string.Join(", ", parameters.Select(p => p.Name))})");
            }

            var error = (AmazonServiceException)Activator.CreateInstance(type, "what went wrong")!;
            Assert.Multiple(() =>
            {
                Assert.That(error.ErrorCode, Is.EqualTo(shape.Name), type.Name);
                Assert.That(error.ErrorType, Is.EqualTo(fault ? ErrorType.Receiver : ErrorType.Sender), type.Name);
                Assert.That(error.StatusCode, Is.EqualTo(fault ? HttpStatusCode.InternalServerError : HttpStatusCode.BadRequest), type.Name);
                Assert.That(Guid.TryParse(error.RequestId, out _), Is.True, type.Name);
                Assert.That(error.Message, Is.EqualTo("what went wrong"));
            });
        }

        foreach (var parameters in SdkConstructors)
        {
            Assert.That(typeof(AmazonRekognitionException).GetConstructor(parameters), Is.Not.Null, $"AmazonRekognitionException({string.Join(", ", parameters.Select(p => p.Name))})");
        }

        var described = new AmazonRekognitionException("m", ErrorType.Receiver, "SomeCode", "req-1", HttpStatusCode.ServiceUnavailable);
        Assert.That((described.ErrorType, described.ErrorCode, described.RequestId, described.StatusCode), Is.EqualTo((ErrorType.Receiver, "SomeCode", "req-1", HttpStatusCode.ServiceUnavailable)));
    }

    private static readonly Type[][] SdkConstructors =
    [
        [typeof(string)],
        [typeof(string), typeof(Exception)],
        [typeof(Exception)],
        [typeof(string), typeof(ErrorType), typeof(string), typeof(string), typeof(HttpStatusCode)],
        [typeof(string), typeof(Exception), typeof(ErrorType), typeof(string), typeof(string), typeof(HttpStatusCode)],
    ];

    [Test]
    public void EveryPaginatorOfTheModel_IsOnClientPaginatorsWithTheSdksMembers()
    {
        var paginators = Load("rekognition-api/custom-labels-paginators.json").GetProperty("pagination").EnumerateObject().ToList();
        Assert.That(typeof(IAmazonRekognition).GetProperty("Paginators")?.PropertyType, Is.EqualTo(typeof(IRekognitionPaginatorFactory)));
        Assert.That(typeof(IDisposable).IsAssignableFrom(typeof(IAmazonRekognition)), Is.True, "using var client = ... needs IDisposable");
        Assert.That(paginators, Has.Count.EqualTo(5));
        foreach (var paginator in paginators)
        {
            var name = paginator.Name;
            var resultKey = paginator.Value.GetProperty("result_key").GetString()!;
            var factory = typeof(IRekognitionPaginatorFactory).GetMethod(name, [ModelType(name + "Request")]);
            Assert.That(factory?.ReturnType, Is.EqualTo(ModelType("I" + name + "Paginator")), name);
            var paginatorType = factory!.ReturnType;
            var response = ModelType(name + "Response");
            var item = response.GetProperty(resultKey)!.PropertyType.GetGenericArguments()[0];
            Assert.Multiple(() =>
            {
                Assert.That(typeof(IPaginator<>).MakeGenericType(response).IsAssignableFrom(paginatorType), Is.True, name);
                Assert.That(paginatorType.GetProperty("Responses")?.PropertyType, Is.EqualTo(typeof(IPaginatedEnumerable<>).MakeGenericType(response)), name);
                Assert.That(paginatorType.GetProperty(resultKey)?.PropertyType, Is.EqualTo(typeof(IPaginatedEnumerable<>).MakeGenericType(item)), $"{name}.{resultKey}");
            });
        }
    }
}
