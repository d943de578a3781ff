using System.Net;
using Rekognition.Core.Storage.Confinement;

namespace Rekognition.Core.Storage;

/// <summary>
/// Which bucket names and object keys can stand for a folder and a file under the buckets root. A bucket is one
/// folder: the API model's characters (<c>[0-9A-Za-z.\-_]</c>, 3 to 255) with S3's rules that keep it a plain name
/// (starts and ends with a letter or digit, no "..", not an IP address). A key maps '/' to folders, so none of its
/// segments may be "." or "..", it may not start with '/' nor hold a backslash or NUL, and each segment must fit a
/// file name (255 bytes).
/// </summary>
internal static class S3Names
{
    public const int MaxKeyLength = 1024;

    /// <summary>Why <paramref name="bucket"/> cannot name a bucket here, or null when it can.</summary>
    public static string? BucketProblem(string? bucket)
    {
        if (bucket is null || bucket.Length is < 3 or > 255)
        {
            return "a bucket name has 3 to 255 characters";
        }

        foreach (var c in bucket)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            {
                return "a bucket name holds only letters, digits, '.', '-' and '_'";
            }
        }

        if (!char.IsAsciiLetterOrDigit(bucket[0]) || !char.IsAsciiLetterOrDigit(bucket[^1]))
        {
            return "a bucket name starts and ends with a letter or digit";
        }

        if (bucket.Contains("..", StringComparison.Ordinal))
        {
            return "a bucket name has no two adjacent periods";
        }

        if (bucket.Count(c => c == '.') == 3 && IPAddress.TryParse(bucket, out _))
        {
            return "a bucket name is not formatted as an IP address";
        }

        return null;
    }

    /// <summary>
    /// Why <paramref name="key"/> cannot name an object (or, with <paramref name="isPrefix"/>, start the names of objects:
    /// empty, or ending with '/') under a bucket here, or null when it can.
    /// </summary>
    public static string? KeyProblem(string key, bool isPrefix)
    {
        if (key.Length > MaxKeyLength)
        {
            return $"an object key has at most {MaxKeyLength} characters";
        }

        if (key.Length == 0)
        {
            return isPrefix ? null : "an object key is not empty";
        }

        if (key.Contains('\\', StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal))
        {
            return "an object key holds no backslash and no NUL character";
        }

        if (key[0] == '/')
        {
            return "an object key does not start with '/'";
        }

        var segments = key.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            if (segment.Length == 0 && isPrefix && i == segments.Length - 1)
            {
                continue; // "prefix/": the files go in that folder
            }

            if (segment.Length == 0)
            {
                return "an object key has no empty segment ('//')";
            }

            if (segment is "." or "..")
            {
                return "an object key has no '.' or '..' segment";
            }

            if (System.Text.Encoding.UTF8.GetByteCount(segment) > 255 || !RelativePath.IsSegment(segment))
            {
                return "each '/'-separated part of an object key is a file name of at most 255 bytes";
            }
        }

        return null;
    }
}
