using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Rekognition.Core;
using Rekognition.Server.Hosting;
using Rekognition.Server.Security;

namespace Rekognition.Server.Protocol;

/// <summary>
/// The request delegate of the protocol: body, signature, target, dispatch, response or error body.
/// </summary>
internal sealed class RekognitionEndpoint
{
    private readonly Func<IAmazonRekognition> _client;
    private readonly RekognitionServerOptions _options;
    private readonly IReadOnlyDictionary<string, OperationHandler> _operations;
    private readonly SigV4Verifier? _verifier;
    private readonly HostHeaderCheck? _hostCheck;
    private readonly ILogger _logger;

    public RekognitionEndpoint(
        Func<IAmazonRekognition> client,
        RekognitionServerOptions options,
        ILogger logger,
        IReadOnlyDictionary<string, OperationHandler>? operations = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        _client = client;
        _options = options;
        _logger = logger;
        _operations = operations ?? RekognitionOperations.All;
        _verifier = options.RequiresSignature ? new SigV4Verifier(options, time) : null;
        _hostCheck = options.RequiresSignature ? null : new HostHeaderCheck(options.AllowedHosts);
    }

    /// <summary>Answers one protocol request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var cancellationToken = context.RequestAborted;
        var requestId = Guid.NewGuid().ToString();
        var operation = "?";
        try
        {
            if (_verifier is null && context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
            {
                throw ProtocolErrors.NotLoopback();
            }

            if (_hostCheck is not null && !_hostCheck.Allows(context.Request.Headers.Host.ToString()))
            {
                throw ProtocolErrors.HostNotAllowed(context.Request.Headers.Host.ToString());
            }

            var body = await RequestBody.ReadAsync(context.Request, _options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
            if (_verifier is not null)
            {
                var headers = context.Request.Headers;
                var signed = new SignedRequest(
                    context.Request.Method,
                    context.Request.PathBase.Add(context.Request.Path).Value ?? "/",
                    context.Request.QueryString.Value,
                    name => headers.TryGetValue(name, out var values) ? string.Join(',', values.Select(v => v ?? string.Empty)) : null,
                    body);
                if (_verifier.Verify(signed) is { } authError)
                {
                    throw authError;
                }
            }

            var target = context.Request.Headers["X-Amz-Target"].ToString();
            if (!target.StartsWith(RekognitionOperations.TargetPrefix, StringComparison.Ordinal)
                || !_operations.TryGetValue(target[RekognitionOperations.TargetPrefix.Length..], out var handler))
            {
                throw ProtocolErrors.UnknownOperation(target);
            }

            operation = target[RekognitionOperations.TargetPrefix.Length..];
            var result = await handler.InvokeAsync(_client(), body, cancellationToken).ConfigureAwait(false);
            await WireResponses.WriteSuccessAsync(context.Response, result.Body, result.RequestId ?? requestId, cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonRekognitionException ex)
        {
            var logref = Guid.NewGuid().ToString();
            ServerLog.ServiceError(_logger, operation, (int)ex.StatusCode, ex.ErrorCode, ex.Message, logref);
            await TryWriteErrorAsync(context, ex.StatusCode, ex.ErrorCode, ex.Message, requestId, logref).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            ServerLog.ClientGone(_logger, operation);
        }
        catch (Exception ex)
        {
            var logref = Guid.NewGuid().ToString();
            ServerLog.Unexpected(_logger, ex, operation, logref);
            await TryWriteErrorAsync(context, HttpStatusCode.InternalServerError, Rekognition.Core.Model.InternalServerErrorException.Code,
                $"The server hit an unexpected error; its log has the details under Logref {logref}.", requestId, logref).ConfigureAwait(false);
        }
    }

    private async Task TryWriteErrorAsync(HttpContext context, HttpStatusCode status, string code, string message, string requestId, string logref)
    {
        if (context.Response.HasStarted)
        {
            ServerLog.ResponseStarted(_logger, code, logref);
            context.Abort();
            return;
        }

        context.Response.Clear();
        try
        {
            await WireResponses.WriteErrorAsync(context.Response, status, code, message, requestId, logref, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            ServerLog.ClientGone(_logger, code);
        }
    }
}
