using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core;
using Rekognition.PostgreSql.Tests.TestSupport;

namespace Rekognition.PostgreSql.Tests.Provider;

/// <summary>A catalog that cannot be opened stops the host at start-up, saying why and what to change, never the password.</summary>
public class StartupFailureTests
{
    private const string Password = "s3cret-Pa55word-never-shown";

    [Test]
    public void PostgreSql_WithoutThePackageRegistered_SaysWhichPackageAndCall()
    {
        var error = StartFails(TestPostgres.ConnectionString, register: false);
        Assert.That(error.Message, Does.Contain("Rekognition.PostgreSql").And.Contain("AddRekognitionPostgreSql()"));
    }

    [Test]
    public void AnUnreachableServer_FailsAtStartUp_NamingTheServer()
    {
        var error = StartFails($"Host=127.0.0.1;Port={UnusedPort()};Username=rekognition;Password={Password};Database=catalog;Timeout=5", register: true);
        Assert.That(error.Message, Does.Contain("PostgreSQL catalog at 127.0.0.1:").And.Contain("could not be opened").And.Contain("Rekognition:Catalog:ConnectionString"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public void AWrongPassword_FailsAtStartUp_WithoutShowingIt()
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Password = Password };
        var error = StartFails(server.ConnectionString, register: true);
        Assert.That(error.Message, Does.Contain("could not be opened").And.Contain("password authentication failed"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public void AMalformedConnectionString_SaysSo_WithoutEchoingIt()
    {
        var error = StartFails($"Host=127.0.0.1;Port=notaport;Password={Password}", register: true);
        Assert.That(error.Message, Does.Contain("is not an Npgsql connection string"));
        Assert.That(error.ToString(), Does.Not.Contain(Password));
    }

    [Test]
    public void PostgreSql_WithoutAConnectionString_IsRefusedByTheOptions()
    {
        var error = StartFails(null, register: true);
        Assert.That(error.Message, Does.Contain("Rekognition:Catalog:ConnectionString must be set"));
    }

    // The client (AddRekognitionCustomLabels' singleton) opens the store when it is made, as the hosted service does at start-up.
    private static Exception StartFails(string? connectionString, bool register)
    {
        var root = Directory.CreateTempSubdirectory("rk-pg-start-").FullName;
        try
        {
            var services = new ServiceCollection();
            if (register)
            {
                services.AddRekognitionPostgreSql();
            }

            services.AddRekognitionCustomLabels(o =>
            {
                o.StoreRoot = root;
                o.Catalog.Provider = CatalogProvider.PostgreSQL;
                o.Catalog.ConnectionString = connectionString;
            });
            using var provider = services.BuildServiceProvider();
            var error = Assert.Catch(() => provider.GetRequiredService<IAmazonRekognition>())!;
            return error is Microsoft.Extensions.Options.OptionsValidationException ? error : Innermost(error);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // DI wraps nothing here, but keep the message a user sees: the outermost exception that is ours.
    private static Exception Innermost(Exception error) => error is InvalidOperationException ? error : error.InnerException ?? error;

    private static int UnusedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
