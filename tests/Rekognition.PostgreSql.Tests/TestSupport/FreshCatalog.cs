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

    /// <summary>Creates a TRAIN dataset "arn:ds" of the project <paramref name="projectArn"/> (committed) and returns its id.</summary>
    internal long CreateDataset(string projectArn)
    {
        var project = Catalog.Projects.FindByArn(projectArn)!;
        using var create = Catalog.BeginTransaction();
        Catalog.Datasets.TryInsert(create, project.Id, "TRAIN", "arn:ds", 2, out var datasetId);
        create.Commit();
        return datasetId;
    }

    [TearDown]
    public void DropCatalog()
    {
        Catalog.Dispose();
        TestPostgres.DropSchema(Schema);
    }
}
