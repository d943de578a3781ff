using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using Rekognition.Core.Catalog;
using Rekognition.Core.Catalog.Sqlite;
using Rekognition.Core.Tests.TestSupport;

namespace Rekognition.Core.Tests.Catalog;

/// <summary>
/// The catalog's provider seam: SQL, Microsoft.Data.Sqlite and the SQLite provider's classes stay in
/// <c>Catalog/Sqlite</c>, so a second provider is a folder beside it and one DI registration. Read from the compiled
/// assembly (signatures, locals and every member and string the IL uses) and from the sources.
/// </summary>
public partial class CatalogSeamTests
{
    private const string ProviderNamespace = "Rekognition.Core.Catalog.Sqlite";

    // The composition roots that pick today's provider: the DI registration and the Store's embedded default.
    private static readonly string[] CompositionRoots = ["Rekognition.Core.Catalog.CatalogSelection", "Rekognition.Core.Storage.Store"];

    private static readonly Assembly Core = typeof(ICatalog).Assembly;

    [Test]
    public void NoTypeOutsideTheProviderUsesMicrosoftDataSqlite()
    {
        var uses = OutsideProvider().SelectMany(t => References(t).Where(IsSqliteDriver).Select(r => $"{t.FullName} -> {Name(r)}")).Distinct().ToList();
        Assert.That(uses, Is.Empty, "Microsoft.Data.Sqlite belongs in Catalog/Sqlite only; put the query behind a catalog interface.");
    }

    [Test]
    public void NoTypeOutsideTheProviderHoldsSqlText()
    {
        var sql = OutsideProvider().SelectMany(t => Strings(t).Where(s => SqlStatement().IsMatch(s)).Select(s => $"{t.FullName}: {s}")).Distinct().ToList();
        Assert.That(sql, Is.Empty, "SQL belongs in Catalog/Sqlite only; put the query behind a catalog interface.");
    }

    [Test]
    public void OnlyTheCompositionRootsNameTheSqliteProvider()
    {
        var uses = OutsideProvider()
            .Where(t => !CompositionRoots.Contains(Outermost(t).FullName))
            .SelectMany(t => References(t).Where(r => Owner(r)?.Namespace == ProviderNamespace).Select(r => $"{t.FullName} -> {Name(r)}"))
            .Distinct().ToList();
        Assert.That(uses, Is.Empty, "Depend on ICatalog and the area interfaces (resolved from DI), not on the SQLite classes.");
    }

    [Test]
    public void TheScanSeesTheProvidersOwnUses()
    {
        // The provider itself is what the tests above would flag: a scan that misses these would pass anything.
        Assert.That(References(typeof(ProjectStore)).Any(IsSqliteDriver), "ProjectStore's SqliteConnection/SqliteCommand were not seen");
        Assert.That(Strings(typeof(ProjectStore)).Any(s => SqlStatement().IsMatch(s)), "ProjectStore's SQL text was not seen");
        Assert.That(References(typeof(SqliteCatalog)).Any(r => Owner(r) == typeof(ProjectStore)), "SqliteCatalog's use of ProjectStore was not seen");
    }

    [Test]
    public void NoSourceOutsideTheProviderImportsMicrosoftDataSqlite()
    {
        var src = Path.Combine(RepositoryFiles.Root(), "src");
        var provider = Path.Combine(src, "Rekognition.Core", "Catalog", "Sqlite") + Path.DirectorySeparatorChar;
        var files = Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(provider, StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("Microsoft.Data.Sqlite", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(src, f))
            .ToList();
        Assert.That(files, Is.Empty, "Microsoft.Data.Sqlite belongs in src/Rekognition.Core/Catalog/Sqlite only.");
    }

    [GeneratedRegex(@"\b(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|PRAGMA\s)", RegexOptions.Singleline)]
    private static partial Regex SqlStatement();

    private static IEnumerable<Type> OutsideProvider() => Core.GetTypes().Where(t => t.Namespace != ProviderNamespace);

    private static Type Outermost(Type type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type;
    }

    private static bool IsSqliteDriver(MemberInfo member) => Owner(member)?.Assembly.GetName().Name == "Microsoft.Data.Sqlite";

    private static Type? Owner(MemberInfo member) => member as Type ?? member.DeclaringType;

    private static string Name(MemberInfo member) => member is Type t ? t.FullName ?? t.Name : $"{member.DeclaringType?.FullName}.{member.Name}";

    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type and member <paramref name="type"/> names: base and interfaces, fields, signatures, locals, and the IL's operands.</summary>
    private static IEnumerable<MemberInfo> References(Type type)
    {
        var named = new List<Type>();
        if (type.BaseType is { } baseType)
        {
            named.Add(baseType);
        }

        named.AddRange(type.GetInterfaces());
        named.AddRange(type.GetFields(Declared).Select(f => f.FieldType));
        named.AddRange(type.GetProperties(Declared).Select(p => p.PropertyType));
        var members = new List<MemberInfo>();
        foreach (var method in Methods(type))
        {
            named.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                named.Add(info.ReturnType);
            }

            var body = method.GetMethodBody();
            if (body is null)
            {
                continue;
            }

            named.AddRange(body.LocalVariables.Select(l => l.LocalType));
            members.AddRange(Operands(method, body).OfType<MemberInfo>());
        }

        return named.SelectMany(Unwrap).Concat(members).Concat(members.Select(Owner).OfType<Type>().SelectMany(Unwrap));
    }

    private static IEnumerable<string> Strings(Type type) =>
        Methods(type).SelectMany(m => m.GetMethodBody() is { } body ? Operands(m, body).OfType<string>() : []);

    private static IEnumerable<MethodBase> Methods(Type type) =>
        type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared));

    /// <summary>A type with its element type and generic arguments (a List of SqliteCommand names SqliteCommand).</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        yield return type;
        if (type.HasElementType && type.GetElementType() is { } element)
        {
            foreach (var inner in Unwrap(element))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType && !type.IsGenericTypeDefinition)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return inner;
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>The members, types and strings the method's IL loads or calls.</summary>
    private static IEnumerable<object> Operands(MethodBase method, MethodBody body)
    {
        var il = body.GetILAsByteArray() ?? [];
        var module = method.Module;
        var typeArgs = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var results = new List<object>();
        for (var i = 0; i < il.Length;)
        {
            short value = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            var code = OpCodesByValue[value];
            i += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineMethod:
                case OperandType.InlineField:
                case OperandType.InlineType:
                case OperandType.InlineTok:
                    results.Add(module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs)!);
                    i += 4;
                    break;
                case OperandType.InlineString:
                    results.Add(module.ResolveString(BitConverter.ToInt32(il, i)));
                    i += 4;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + (4 * BitConverter.ToInt32(il, i));
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineNone:
                    break;
                default:
                    i += 4; // InlineBrTarget, InlineI, InlineSig, ShortInlineR
                    break;
            }
        }

        return results;
    }
}
