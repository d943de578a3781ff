using System.Runtime.CompilerServices;
using Amazon.Runtime;

namespace Rekognition.Core.Model;

/// <summary>A request of an operation that answers in pages: the token of the page to ask for.</summary>
internal interface IPaginatedRequest
{
    string? NextToken { get; set; }
}

/// <summary>A response of an operation that answers in pages: the token of the next page, none on the last.</summary>
internal interface IPaginatedResponse
{
    string? NextToken { get; }
}

/// <summary>
/// Pages through one operation as the AWS SDK's paginators do: from the request's own <c>NextToken</c>,
/// setting each next token on the request, until a response has none. Like the SDK's, it can be
/// enumerated once (its <c>Responses</c> and its result key share the one pass).
/// </summary>
internal abstract class Paginator<TRequest, TResponse> : IPaginator<TResponse>
    where TRequest : IPaginatedRequest
    where TResponse : IPaginatedResponse
{
    private readonly TRequest _request;
    private readonly Func<TRequest, CancellationToken, Task<TResponse>> _call;
    private int _started;

    protected Paginator(TRequest request, Func<TRequest, CancellationToken, Task<TResponse>> call)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
        _call = call;
    }

    /// <summary>Every page's response.</summary>
    public IPaginatedEnumerable<TResponse> Responses => new PaginatedResponse<TResponse>(this);

    async IAsyncEnumerable<TResponse> IPaginator<TResponse>.PaginateAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("This paginator has already been enumerated; ask client.Paginators for a new one.");
        }

        var token = _request.NextToken;
        TResponse response;
        do
        {
            _request.NextToken = token;
            response = await _call(_request, cancellationToken).ConfigureAwait(false);
            token = response.NextToken;
            yield return response;
        }
        while (!string.IsNullOrEmpty(token));
    }

    /// <summary>The items of every page, selected by <paramref name="resultKey"/> (a page without the member has none).</summary>
    protected IPaginatedEnumerable<TItem> ResultKey<TItem>(Func<TResponse, IEnumerable<TItem>?> resultKey) =>
        new PaginatedResultKeyResponse<TResponse, TItem>(this, response => resultKey(response) ?? []);
}
