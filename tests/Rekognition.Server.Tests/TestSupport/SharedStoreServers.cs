using Amazon.Runtime;
using Amazon.S3;
using Npgsql;

namespace Rekognition.Server.Tests.TestSupport;

/// <summary>
/// The PostgreSQL and S3-compatible servers the <see cref="ClusterStorage.PostgreSqlAndS3"/> clusters run on, named by
/// REKOGNITION_TEST_POSTGRES and REKOGNITION_TEST_S3_URL (CI sets both). A test that needs one fails, saying how to start
/// it, when its variable is not set.
/// </summary>
public static class SharedStoreServers
{
    public const string PostgresVariable = "REKOGNITION_TEST_POSTGRES";
    public const string S3Variable = "REKOGNITION_TEST_S3_URL";

    /// <summary>s3rver's fixed credentials, given to the hosts through the AWS SDK's standard environment variables.</summary>
    public static readonly IReadOnlyDictionary<string, string> S3Credentials = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "S3RVER",
        ["AWS_SECRET_ACCESS_KEY"] = "S3RVER",
    };

    /// <summary>The PostgreSQL server's Npgsql connection string.</summary>
    public static string Postgres => Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } value
        ? value
        : Fail($"{PostgresVariable} is not set: the PostgreSQL + S3 multi-host tests need a PostgreSQL server (15 or newer, with pg_trgm). " +
               $"Start a throwaway one with `source .ci/postgres.sh` (it sets {PostgresVariable}), or set it to an Npgsql connection string " +
               "of a database you own, e.g. Host=127.0.0.1;Port=5432;Username=me;Password=...;Database=rekognition_tests.");

    /// <summary>The S3-compatible server's address.</summary>
    public static string S3Url => Environment.GetEnvironmentVariable(S3Variable) is { Length: > 0 } value
        ? value
        : Fail($"{S3Variable} is not set: the PostgreSQL + S3 multi-host tests need an S3-compatible server. Start one with `source .ci/s3.sh` " +
               $"(it installs npm's s3rver 3.7 into a cache folder and sets {S3Variable}), or run `npx s3rver@3.7 -d /tmp/s3 -a 127.0.0.1 -p 4568` " +
               $"and set {S3Variable}=http://127.0.0.1:4568.");

    /// <summary>
    /// A connection string to <paramref name="server"/> whose tables live in a fresh schema (the hosts' migration creates
    /// it); pg_trgm is made available in public first, as an operator would.
    /// </summary>
    public static (string Schema, string ConnectionString) NewSchema(string server)
    {
        Execute(server, "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public");
        var schema = "rk_" + Guid.NewGuid().ToString("N");
        return (schema, new NpgsqlConnectionStringBuilder(server) { SearchPath = $"{schema},public" }.ConnectionString);
    }

    /// <summary>Drops a schema made by <see cref="NewSchema"/>.</summary>
    public static void DropSchema(string server, string schema) => Execute(server, $"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");

    /// <summary>Runs <paramref name="sql"/> on a connection of its own; returns the first column of the first row.</summary>
    public static object? Scalar(string connectionString, string sql, params (string Name, object Value)[] parameters)
    {
        using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command.ExecuteScalar();
    }

    private static void Execute(string connectionString, string sql) => Scalar(connectionString, sql);

    /// <summary>A client of the S3 server (path-style; uploads without chunk signatures, which s3rver would store).</summary>
    public static AmazonS3Client S3Client() => new(
        new BasicAWSCredentials(S3Credentials["AWS_ACCESS_KEY_ID"], S3Credentials["AWS_SECRET_ACCESS_KEY"]),
        new AmazonS3Config { ServiceURL = S3Url, ForcePathStyle = true, AuthenticationRegion = "us-east-1" });

    /// <summary>Deletes a bucket and every object in it (nothing if it does not exist).</summary>
    public static async Task DeleteBucketAsync(AmazonS3Client client, string bucket)
    {
        try
        {
            foreach (var key in await KeysAsync(client, bucket, ""))
            {
                await client.DeleteObjectAsync(bucket, key);
            }

            await client.DeleteBucketAsync(bucket);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }
    }

    /// <summary>The keys of <paramref name="bucket"/> beneath <paramref name="prefix"/>.</summary>
    public static Task<List<string>> KeysAsync(AmazonS3Client client, string bucket, string prefix) => Rekognition.Testing.S3.S3Keys.ListAsync(client, bucket, prefix);

    private static string Fail(string message)
    {
        Assert.Fail(message);
        return null!;
    }
}
