namespace Rekognition.PostgreSql.Tests.TestSupport;

/// <summary>A PostgreSQL catalog of its own for each test: a fresh schema, migrated, dropped afterwards.</summary>
public abstract class FreshCatalog
{
    internal string Schema { get; private set; } = null!;

    internal PostgreSqlCatalog Catalog { get; private set; } = null!;

    [SetUp]
    public void OpenCatalog()
    {
        string connectionString;
        (Schema, connectionString) = TestPostgres.NewSchema();
        Catalog = PostgreSqlCatalog.Open(connectionString);
    }

    [TearDown]
    public void DropCatalog()
    {
        Catalog.Dispose();
        TestPostgres.DropSchema(Schema);
    }
}
