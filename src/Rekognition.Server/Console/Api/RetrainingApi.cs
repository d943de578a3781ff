using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rekognition.Core.Model;
using Rekognition.Core.Retraining;
using static Rekognition.Server.Console.ConsoleHttp;

namespace Rekognition.Server.Console.Api;

/// <summary>A project's retraining loop: its policy (switched on and off here), where it stands, a check on demand and the promotion history.</summary>
internal sealed class RetrainingApi(IRetrainingClient retraining)
{
    public async Task GetAsync(HttpContext context)
    {
        var project = Query(context, "project");
        var state = await retraining.GetRetrainingStateAsync(project, context.RequestAborted).ConfigureAwait(false);
        var promotions = new JsonArray();
        foreach (var p in await retraining.ListPromotionsAsync(project, 50, context.RequestAborted).ConfigureAwait(false))
        {
            promotions.Add(new JsonObject
            {
                ["alias"] = p.AliasName,
                ["candidate"] = p.CandidateVersionArn,
                ["previous"] = p.PreviousVersionArn,
                ["metric"] = p.Metric,
                ["candidateScore"] = p.CandidateScore,
                ["previousScore"] = p.PreviousScore,
                ["promoted"] = p.Promoted,
                ["reason"] = p.Reason,
                ["time"] = Ms(p.Time),
            });
        }

        await JsonAsync(context, new JsonObject
        {
            ["policy"] = state is null ? null : new JsonObject
            {
                ["alias"] = state.Policy.AliasName,
                ["enabled"] = state.Policy.Enabled,
                ["minNewLabeledImages"] = state.Policy.MinNewLabeledImages,
                ["minNewFeedbackItems"] = state.Policy.MinNewFeedbackItems,
                ["scheduleMinutes"] = state.Policy.Schedule is { } s ? (long)s.TotalMinutes : null,
                ["newLabeledImages"] = state.NewLabeledImages,
                ["newFeedbackItems"] = state.NewFeedbackItems,
                ["lastTraining"] = Ms(state.LastTraining),
                ["training"] = state.TrainingVersionArn,
                ["lastOutcome"] = state.LastOutcome,
            },
            ["promotions"] = promotions,
        }).ConfigureAwait(false);
    }

    public async Task PutAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var minutes = Long(body, "scheduleMinutes");
        await retraining.PutRetrainingPolicyAsync(new RetrainingPolicy
        {
            ProjectArn = Required(body, "project"),
            AliasName = Required(body, "alias"),
            Enabled = body["enabled"] is not JsonValue enabled || (enabled.TryGetValue<bool>(out var on) ? on : throw new InvalidParameterException("enabled must be true or false.")),
            MinNewLabeledImages = Int(Long(body, "minNewLabeledImages")),
            MinNewFeedbackItems = Int(Long(body, "minNewFeedbackItems")),
            Schedule = minutes is { } m ? TimeSpan.FromMinutes(Math.Clamp(m, -1, 1_000_000)) : null,
        }, context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["saved"] = true }).ConfigureAwait(false);
    }

    public async Task CheckAsync(HttpContext context)
    {
        var body = await BodyAsync(context).ConfigureAwait(false);
        var outcome = await retraining.CheckNowAsync(Required(body, "project"), context.RequestAborted).ConfigureAwait(false);
        await JsonAsync(context, new JsonObject { ["outcome"] = outcome }).ConfigureAwait(false);
    }

    // Out-of-range numbers reach the client's own check (which names the limits) instead of wrapping around.
    private static int? Int(long? value) => value is { } v ? (int)Math.Clamp(v, int.MinValue, int.MaxValue) : null;
}
