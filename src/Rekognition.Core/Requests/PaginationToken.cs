using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Rekognition.Core.Model;

namespace Rekognition.Core.Requests;

/// <summary>
/// Opaque <c>NextToken</c> values: the listing they continue and the last key returned, followed by an
/// HMAC-SHA256 (truncated to 128 bits) under the store's <see cref="PaginationKey"/>, base64url encoded.
/// A token that does not decode, was altered or forged, or belongs to another listing or store is refused
/// with <see cref="InvalidPaginationTokenException"/>.
/// </summary>
internal sealed class PaginationToken
{
    private const string Version = "rk2";
    private const int MacLength = 16;
    private const int MaxTokenLength = 1024;

    private readonly byte[]? _key;
    private readonly PaginationKeySource? _source;

    public PaginationToken(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 16)
        {
            throw new ArgumentException("A pagination key needs at least 16 bytes.", nameof(key));
        }

        _key = key;
    }

    /// <summary>Tokens signed with the store's key, which the store's start-up loads (nothing is read when this is made).</summary>
    public PaginationToken(PaginationKeySource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        _source = source;
    }

    public string Create(string listing, string lastKey)
    {
        var payload = Encoding.UTF8.GetBytes($"{Version}|{listing}|{lastKey}");
        var token = new byte[payload.Length + MacLength];
        payload.CopyTo(token, 0);
        Mac(payload).AsSpan(0, MacLength).CopyTo(token.AsSpan(payload.Length));
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The last key of the previous page, or null for the first page.</summary>
    public string? Read(string? token, string listing)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        if (token.Length > MaxTokenLength)
        {
            throw new InvalidPaginationTokenException($"The pagination token is longer than {MaxTokenLength} characters.");
        }

        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            throw NotValid();
        }

        if (bytes.Length <= MacLength)
        {
            throw NotValid();
        }

        var payload = bytes.AsSpan(0, bytes.Length - MacLength);
        if (!CryptographicOperations.FixedTimeEquals(Mac(payload).AsSpan(0, MacLength), bytes.AsSpan(bytes.Length - MacLength)))
        {
            throw NotValid();
        }

        var parts = Encoding.UTF8.GetString(payload).Split('|', 3);
        if (parts.Length != 3 || parts[0] != Version || parts[1] != listing)
        {
            throw new InvalidPaginationTokenException("The pagination token was not issued for this operation and resource.");
        }

        return parts[2];
    }

    /// <summary>
    /// The NextToken for a page read with one extra row (<paramref name="rows"/> holds up to
    /// <paramref name="pageSize"/> + 1): the key of the page's last row when there is more, else null.
    /// </summary>
    public string? NextAfter<T>(IReadOnlyList<T> rows, int pageSize, string listing, Func<T, string> key) =>
        rows.Count > pageSize ? Create(listing, key(rows[pageSize - 1])) : null;

    /// <summary>As <see cref="NextAfter{T}(IReadOnlyList{T}, int, string, Func{T, string})"/> for rows keyed by a row id.</summary>
    public string? NextAfter<T>(IReadOnlyList<T> rows, int pageSize, string listing, Func<T, long> key) =>
        NextAfter(rows, pageSize, listing, row => key(row).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public long ReadLong(string? token, string listing)
    {
        var key = Read(token, listing);
        if (key is null)
        {
            return 0;
        }

        return long.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : throw NotValid();
    }

    private byte[] Mac(ReadOnlySpan<byte> payload) => HMACSHA256.HashData(_key ?? _source!.Key, payload);

    private static InvalidPaginationTokenException NotValid() =>
        new("The pagination token is not valid: pass the NextToken of a previous response unchanged.");
}
