using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rekognition.Core.Billing;
using static Rekognition.Server.Console.ConsoleHttp;

namespace Rekognition.Server.Console.Api;

/// <summary>A version's billing history: the intervals it ran, each as running hours times inference units.</summary>
internal sealed class BillingApi(IBillingClient billing)
{
    public async Task VersionAsync(HttpContext context)
    {
        var history = await billing.GetVersionBillingAsync(Query(context, "version"), context.RequestAborted).ConfigureAwait(false);
        var intervals = new JsonArray();
        foreach (var i in history.Intervals)
        {
            intervals.Add(new JsonObject
            {
                ["start"] = Ms(i.Start),
                ["end"] = Ms(i.End),
                ["units"] = i.InferenceUnits,
                ["hours"] = i.Hours,
                ["inferenceHours"] = i.InferenceHours,
            });
        }

        await JsonAsync(context, new JsonObject
        {
            ["running"] = history.Running,
            ["hours"] = history.Hours,
            ["inferenceHours"] = history.InferenceHours,
            ["intervals"] = intervals,
        }).ConfigureAwait(false);
    }
}
