namespace Rekognition.Server.Tests.TestSupport;

/// <summary>Where the hosts of a <see cref="LocalServerCluster"/> keep what they share.</summary>
public enum ClusterStorage
{
    /// <summary>A SQLite catalog and a local folder for artifacts and buckets, one <c>StoreRoot</c> shared by every host.</summary>
    SharedFolder,

    /// <summary>A PostgreSQL catalog (a fresh schema) and the shared local folder for artifacts and buckets.</summary>
    PostgreSql,

    /// <summary>
    /// A PostgreSQL catalog (a fresh schema on REKOGNITION_TEST_POSTGRES's server), artifacts and buckets on S3
    /// (REKOGNITION_TEST_S3_URL), and each host a local folder of its own that no other host sees.
    /// </summary>
    PostgreSqlAndS3,
}
