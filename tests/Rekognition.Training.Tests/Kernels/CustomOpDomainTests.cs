using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Rekognition.Onnx.Ir;
using Rekognition.Training.Graphs;
using Rekognition.Training.Kernels;

namespace Rekognition.Training.Tests.Kernels;

/// <summary>A kernel written in C# runs inside an ONNX Runtime session through the C API's custom-op table.</summary>
public class CustomOpDomainTests
{
    private static readonly Lazy<CustomOpDomain> Domain = new(() => new CustomOpDomain("com.rekognition.test", new CustomKernel[] { new AddScaledKernel() }));

    [Test]
    public void AKernelWrittenInCSharpRunsInASessionOnTheIntraOpThreads()
    {
        const int rows = 64;
        const int columns = 33;
        var model = AddScaledModel(new long[] { rows, columns }, new long[] { rows, columns }, factor: 3);

        var random = new Random(3);
        var a = Enumerable.Range(0, rows * columns).Select(_ => random.NextSingle()).ToArray();
        var b = Enumerable.Range(0, rows * columns).Select(_ => random.NextSingle()).ToArray();
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        Domain.Value.AddTo(options);
        using var session = new InferenceSession(model.ToByteArray(), options);
        using var inputA = OrtValue.CreateTensorValueFromMemory(a, new long[] { rows, columns });
        using var inputB = OrtValue.CreateTensorValueFromMemory(b, new long[] { rows, columns });
        using var results = session.Run(new RunOptions(), new[] { "a", "b" }, new[] { inputA, inputB }, new[] { "y" });

        var y = results[0].GetTensorDataAsSpan<float>().ToArray();
        Assert.That(results[0].GetTensorTypeAndShape().Shape, Is.EqualTo(new long[] { rows, columns }));
        for (var i = 0; i < y.Length; i++)
        {
            Assert.That(y[i], Is.EqualTo(a[i] + (3 * b[i])).Within(1e-6f), $"element {i}");
        }

        Assert.That(AddScaledKernel.Rows, Is.EqualTo(rows), "every row was handed to the parallel body once");
    }

    [Test]
    public void AKernelsExceptionFailsTheRunWithItsMessage()
    {
        var model = AddScaledModel(new long[] { 2, 3 }, new long[] { 3, 2 }, factor: 1);
        using var options = new SessionOptions();
        Domain.Value.AddTo(options);
        using var session = new InferenceSession(model.ToByteArray(), options);
        using var inputA = OrtValue.CreateTensorValueFromMemory(new float[6], new long[] { 2, 3 });
        using var inputB = OrtValue.CreateTensorValueFromMemory(new float[6], new long[] { 3, 2 });

        var error = Assert.Throws<OnnxRuntimeException>(() => session.Run(new RunOptions(), new[] { "a", "b" }, new[] { inputA, inputB }, new[] { "y" }).Dispose());
        Assert.That(error!.Message, Does.Contain("shapes differ"));
    }

    /// <summary>One AddScaled node: y = a + factor·b.</summary>
    private static ModelProto AddScaledModel(long[] a, long[] b, long factor)
    {
        var graph = new GraphProto { Name = "custom" };
        graph.Input.Add(OnnxTensors.ValueInfo("a", OnnxTensors.Float, a));
        graph.Input.Add(OnnxTensors.ValueInfo("b", OnnxTensors.Float, b));
        graph.Output.Add(OnnxTensors.ValueInfo("y", OnnxTensors.Float, a));
        var node = new NodeProto { OpType = "AddScaled", Domain = Domain.Value.Name, Name = "add" };
        node.Input.Add("a");
        node.Input.Add("b");
        node.Output.Add("y");
        node.Attribute.Add(OnnxAttributes.Int("factor", factor));
        graph.Node.Add(node);
        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = Domain.Value.Name, Version = 1 });
        return model;
    }

    /// <summary>y = a + factor·b over equal shapes, a row per parallel index.</summary>
    private sealed class AddScaledKernel : CustomKernel
    {
        private static int _rows;

        public static int Rows => _rows;

        public override string OpType => "AddScaled";

        public override int Inputs => 2;

        public override int Outputs => 1;

        public override IReadOnlyList<string> IntAttributes => new[] { "factor" };

        public override unsafe void Compute(KernelContext context, long[] attributes)
        {
            var a = context.Input(0);
            var b = context.Input(1);
            if (!a.Shape.SequenceEqual(b.Shape))
            {
                throw new ArgumentException("The input shapes differ.");
            }

            var y = context.Output(0, a.Shape);
            var columns = (int)a.Shape[^1];
            var factor = (float)attributes[0];
            _rows = 0;
            context.ParallelFor((int)(a.Count / columns), row =>
            {
                Interlocked.Increment(ref _rows);
                for (var j = row * columns; j < (row + 1) * columns; j++)
                {
                    y.Pointer[j] = a.Pointer[j] + (factor * b.Pointer[j]);
                }
            });
        }
    }
}
