using Microsoft.Extensions.Configuration;

namespace Rekognition.Server;

/// <summary>
/// Settings of the HTTP endpoint, bound from the same <c>Rekognition</c> configuration section as
/// <see cref="Rekognition.Core.RekognitionOptions"/> (<c>Rekognition__AccessKeyId</c>,
/// <c>Rekognition__SecretAccessKey</c>, <c>--Rekognition:Region=...</c>).
/// </summary>
public sealed class RekognitionServerOptions
{
    /// <summary>Default for <see cref="MaxRequestBodyBytes"/>: 8 MB (a 5 MB blob grows by a third in base64).</summary>
    public const int DefaultMaxRequestBodyBytes = 8 * 1024 * 1024;

    /// <summary>The access key id clients sign with. With <see cref="SecretAccessKey"/>, turns SigV4 verification on.</summary>
    public string? AccessKeyId { get; set; }

    /// <summary>The secret access key that goes with <see cref="AccessKeyId"/>.</summary>
    public string? SecretAccessKey { get; set; }

    /// <summary>
    /// The region a signature's credential scope must name. When null, whatever region the client signs
    /// for is accepted. This is the same key as the ARN region of <see cref="Rekognition.Core.RekognitionOptions.Region"/>.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>How far a request's <c>X-Amz-Date</c> may be from the server's clock (the service's 5 minutes).</summary>
    public TimeSpan MaxClockSkew { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Largest request body accepted; larger bodies are answered with 400.</summary>
    public int MaxRequestBodyBytes { get; set; } = DefaultMaxRequestBodyBytes;

    /// <summary>
    /// Host header values an endpoint without credentials answers besides <c>localhost</c>, <c>127.0.0.1</c>
    /// and <c>[::1]</c>: <c>host</c> (any port) or <c>host:port</c>, for a server fronted by a proxy that
    /// passes its own name on (<c>Rekognition:AllowedHosts:0=rekognition.internal</c>). Any other Host is
    /// refused, so that a web page rebound to 127.0.0.1 by DNS cannot drive the API. With credentials,
    /// the signature covers the Host header and this list is not used.
    /// </summary>
    public IList<string> AllowedHosts { get; set; } = [];

    /// <summary>Whether both halves of a credential are configured, so requests must be signed.</summary>
    public bool RequiresSignature => !string.IsNullOrEmpty(AccessKeyId) && !string.IsNullOrEmpty(SecretAccessKey);

    /// <summary>Options bound from <paramref name="configuration"/>'s <c>Rekognition</c> section.</summary>
    public static RekognitionServerOptions FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new RekognitionServerOptions();
        configuration.GetSection(Rekognition.Core.RekognitionOptions.SectionName).Bind(options);
        return options;
    }

    /// <summary>The options an endpoint of <paramref name="services"/> runs with: bound from its configuration, then <paramref name="configure"/>, then validated.</summary>
    internal static RekognitionServerOptions Resolve(IServiceProvider services, Action<RekognitionServerOptions>? configure)
    {
        var configuration = services.GetService(typeof(IConfiguration)) as IConfiguration;
        var options = configuration is null ? new RekognitionServerOptions() : FromConfiguration(configuration);
        configure?.Invoke(options);
        options.Validate();
        return options;
    }

    /// <summary>Throws when exactly one half of the credential is set (an easy mistake that would silently disable signing).</summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(AccessKeyId) != string.IsNullOrEmpty(SecretAccessKey))
        {
            throw new InvalidOperationException(
                "Rekognition:AccessKeyId and Rekognition:SecretAccessKey must be configured together (both for SigV4 verification, neither for an unsigned loopback-only endpoint).");
        }

        foreach (var host in AllowedHosts)
        {
            if (!Hosting.HostHeaderCheck.TryParse(host, out _, out _))
            {
                throw new InvalidOperationException(Hosting.HostHeaderCheck.InvalidEntryMessage(host));
            }
        }

        if (MaxRequestBodyBytes < 1024)
        {
            throw new InvalidOperationException($"Rekognition:MaxRequestBodyBytes must be at least 1024 (got {MaxRequestBodyBytes}).");
        }
    }
}
