using System.Buffers.Text;
using System.Text;
using Rekognition.Core.Model;

namespace Rekognition.Core.Requests;

/// <summary>
/// Opaque <c>NextToken</c> values: the listing they continue and the last key returned, base64url
/// encoded. A token from another listing, or one that does not decode, is refused with
/// <see cref="InvalidPaginationTokenException"/>.
/// </summary>
internal static class PaginationToken
{
    private const string Version = "rk1";

    public static string Create(string listing, string lastKey) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Version}|{listing}|{lastKey}"));

    /// <summary>The last key of the previous page, or null for the first page.</summary>
    public static string? Read(string? token, string listing)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        if (token.Length > 1024)
        {
            throw new InvalidPaginationTokenException("The pagination token is longer than 1024 characters.");
        }

        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw new InvalidPaginationTokenException("The pagination token is not valid: pass the NextToken of a previous response unchanged.");
        }

        var parts = text.Split('|', 3);
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
    public static string? NextAfter<T>(IReadOnlyList<T> rows, int pageSize, string listing, Func<T, string> key) =>
        rows.Count > pageSize ? Create(listing, key(rows[pageSize - 1])) : null;

    /// <summary>As <see cref="NextAfter{T}(IReadOnlyList{T}, int, string, Func{T, string})"/> for rows keyed by a row id.</summary>
    public static string? NextAfter<T>(IReadOnlyList<T> rows, int pageSize, string listing, Func<T, long> key) =>
        NextAfter(rows, pageSize, listing, row => key(row).ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static long ReadLong(string? token, string listing)
    {
        var key = Read(token, listing);
        if (key is null)
        {
            return 0;
        }

        return long.TryParse(key, out var value) ? value
            : throw new InvalidPaginationTokenException("The pagination token is not valid: pass the NextToken of a previous response unchanged.");
    }
}
