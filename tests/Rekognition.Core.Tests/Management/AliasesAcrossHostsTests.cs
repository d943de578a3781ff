using Microsoft.Extensions.DependencyInjection;
using Rekognition.Core.Catalog;
using Rekognition.Core.Model;
using Rekognition.Core.Promotion;
using Rekognition.Core.Tests.TestSupport;
using static Rekognition.Core.Tests.Management.TrainedModels;

namespace Rekognition.Core.Tests.Management;

/// <summary>
/// Aliases are catalog state seen by every host: an alias pointed, moved or deleted through one client is followed by
/// another client of the same catalog (another process) within its poll interval (<see cref="RekognitionHostOptions.PollInterval"/>).
/// </summary>
public class AliasesAcrossHostsTests
{
    [Test]
    public async Task AnAliasChangedOnOneHost_IsFollowedByAnother()
    {
        await using var store = Store();
        var project = await ProjectAsync(store);
        var v1 = (await TrainAsync(store, project, "v1")).ProjectVersionArn!;
        var v2 = (await TrainAsync(store, project, "v2")).ProjectVersionArn!;
        await using var other = store.BuildServices();
        var there = other.GetRequiredService<IModelAliasClient>();

        await store.Aliases.PutModelAliasAsync(project, "production", v1);
        Assert.That(await EventuallyAsync(there, project, v1), Is.EqualTo(v1), "a new alias");

        await store.Aliases.PutModelAliasAsync(project, "production", v2);
        Assert.That(await EventuallyAsync(there, project, v2), Is.EqualTo(v2), "a moved alias");

        await there.DeleteModelAliasAsync(project, "production");
        Assert.That(await EventuallyAsync(store.Aliases, project, null), Is.Null, "an alias deleted on the other host");
    }

    [Test]
    public async Task ARecordingSwitch_IsReadAgainOnceStale()
    {
        var switches = new RecordingSwitches();
        var stored = false;
        Assert.That(switches.IsOn("arn:v", _ => stored), Is.False);
        stored = true; // switched by another host
        Assert.That(switches.IsOn("arn:v", _ => stored), Is.False, "trusted while fresh: no database read per image");
        await Task.Delay(RecordingSwitches.MaxAge + TimeSpan.FromMilliseconds(100));
        Assert.That(switches.IsOn("arn:v", _ => stored), Is.True, "read again once stale");
        switches.Set("arn:v", false);
        Assert.That(switches.IsOn("arn:v", _ => stored), Is.False, "a switch made here is seen at once");
    }

    private static async Task<string?> EventuallyAsync(IModelAliasClient client, string project, string? expected)
    {
        var deadline = DateTime.UtcNow + ModelAliasMirror.MaxAge + TimeSpan.FromSeconds(5);
        string? seen;
        do
        {
            try
            {
                seen = await client.GetModelAliasAsync(project, "production");
            }
            catch (ResourceNotFoundException)
            {
                seen = null;
            }

            if (seen == expected)
            {
                return seen;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);
        return seen;
    }
}
