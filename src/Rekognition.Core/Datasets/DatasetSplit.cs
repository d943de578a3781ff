namespace Rekognition.Core.Datasets;

/// <summary>
/// Chooses the entries that DistributeDatasetEntries (and the automatic split at training) moves to the
/// test dataset: 20 % of the entries, stratified by label so every label keeps its share on both sides.
/// The service only says "a representative sample"; this choice is reproducible (a fixed seed), keeps at
/// least one entry of every label in training, and gives a label with two or more entries at least one
/// test entry whenever the 20 % budget allows.
/// </summary>
internal static class DatasetSplit
{
    /// <summary>The share of entries moved to the test side.</summary>
    public const double TestFraction = 0.2;

    /// <summary>
    /// The indices (into <paramref name="entryLabels"/>) of the entries to move to the test dataset, in
    /// ascending order; empty when no label has the two labelled entries a split needs.
    /// </summary>
    /// <param name="entryLabels">The labels of each entry (empty for an unlabelled entry).</param>
    /// <param name="seed">Seed of the shuffle inside each stratum.</param>
    public static int[] ChooseTestEntries(IReadOnlyList<IReadOnlyCollection<string>> entryLabels, int seed = 20161127)
    {
        ArgumentNullException.ThrowIfNull(entryLabels);
        var frequency = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var labels in entryLabels)
        {
            foreach (var label in labels)
            {
                frequency[label] = frequency.GetValueOrDefault(label) + 1;
            }
        }

        if (!frequency.Values.Any(count => count >= 2))
        {
            return Array.Empty<int>();
        }

        // Stratum of an entry: its rarest label, so rare labels are spread first; unlabelled entries form
        // their own stratum ("").
        var strata = new SortedDictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < entryLabels.Count; i++)
        {
            var key = entryLabels[i].Count == 0
                ? string.Empty
                : entryLabels[i].OrderBy(l => frequency[l]).ThenBy(l => l, StringComparer.Ordinal).First();
            if (!strata.TryGetValue(key, out var members))
            {
                strata[key] = members = new List<int>();
            }

            members.Add(i);
        }

        var target = (int)Math.Round(entryLabels.Count * TestFraction, MidpointRounding.AwayFromZero);
        var groups = strata.Values.ToList();
        var quota = new int[groups.Count];
        var assigned = 0;
        for (var g = 0; g < groups.Count; g++)
        {
            // Never take the last entry of a stratum: its label must stay trainable.
            quota[g] = Math.Min((int)Math.Floor(groups[g].Count * TestFraction), Math.Max(groups[g].Count - 1, 0));
            assigned += quota[g];
        }

        // Hand out the rest of the budget: first to strata that would otherwise have no test entry, then by
        // largest remainder; ties by stratum order, so the result is deterministic.
        var order = Enumerable.Range(0, groups.Count)
            .OrderByDescending(g => quota[g] == 0 && groups[g].Count >= 2)
            .ThenByDescending(g => groups[g].Count * TestFraction - quota[g])
            .ThenBy(g => g)
            .ToList();
        while (assigned < target)
        {
            var progressed = false;
            foreach (var g in order)
            {
                if (assigned >= target)
                {
                    break;
                }

                if (quota[g] < groups[g].Count - 1)
                {
                    quota[g]++;
                    assigned++;
                    progressed = true;
                }
            }

            if (!progressed)
            {
                break;
            }
        }

        var random = new Random(seed);
        var chosen = new List<int>(target);
        for (var g = 0; g < groups.Count; g++)
        {
            var members = groups[g].ToArray();
            random.Shuffle(members);
            chosen.AddRange(members.Take(quota[g]));
        }

        chosen.Sort();
        return chosen.ToArray();
    }
}
