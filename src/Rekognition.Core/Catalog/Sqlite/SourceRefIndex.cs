using System.Text;
using Microsoft.Data.Sqlite;

namespace Rekognition.Core.Catalog.Sqlite;

/// <summary>
/// Schema 8: an FTS5 trigram index over the entries' source-refs (external content: the text stays in
/// <c>entries</c>), so SourceRefContains finds the few rows that hold a part instead of reading every entry of the
/// dataset. Case-sensitive, as the <c>instr</c> check it narrows is. Deletes and source-ref changes reach it through
/// triggers (one statement, one FTS flush); inserted rows are added by their writer in one statement at its end,
/// because FTS5 flushes its pending terms at every statement and a per-row trigger made an import many times slower.
/// </summary>
internal static class SourceRefIndex
{
    /// <summary>Trigrams need three characters: shorter parts are checked by the plain scan.</summary>
    private const int MinimumRunes = 3;

    public static void CreateSchema(SqliteConnection connection, SqliteTransaction transaction)
    {
        // detail=none: substring queries (GLOB) use the trigram lists alone and check the candidate text afterwards,
        // which halves the index and its build time against detail=full.
        using var command = connection.Command(
            """
            CREATE VIRTUAL TABLE IF NOT EXISTS entries_source_ref USING fts5(
                source_ref, content='entries', content_rowid='id', tokenize='trigram case_sensitive 1', detail='none');
            CREATE TRIGGER IF NOT EXISTS entries_source_ref_delete AFTER DELETE ON entries BEGIN
                INSERT INTO entries_source_ref (entries_source_ref, rowid, source_ref) VALUES ('delete', old.id, old.source_ref);
            END;
            CREATE TRIGGER IF NOT EXISTS entries_source_ref_update AFTER UPDATE OF source_ref ON entries BEGIN
                INSERT INTO entries_source_ref (entries_source_ref, rowid, source_ref) VALUES ('delete', old.id, old.source_ref);
                INSERT INTO entries_source_ref (rowid, source_ref) VALUES (new.id, new.source_ref);
            END;
            INSERT INTO entries_source_ref (entries_source_ref) VALUES ('rebuild');
            """, transaction);
        command.ExecuteNonQuery();
    }

    /// <summary>The highest entry row id now: rows inserted later get higher ones (entries' ids are max + 1).</summary>
    public static long LastEntryId(SqliteConnection connection, SqliteTransaction transaction)
    {
        using var command = connection.Command("SELECT COALESCE(MAX(id), 0) FROM entries", transaction);
        return command.Scalar();
    }

    /// <summary>Indexes the entries inserted after <paramref name="lastIdBefore"/> (<see cref="LastEntryId"/>), in one statement.</summary>
    public static void AddEntriesAfter(SqliteConnection connection, SqliteTransaction transaction, long lastIdBefore)
    {
        using var command = connection.Command(
            "INSERT INTO entries_source_ref (rowid, source_ref) SELECT id, source_ref FROM entries WHERE id > $after", transaction)
            .With("$after", lastIdBefore);
        command.ExecuteNonQuery();
    }

    /// <summary>
    /// The GLOB pattern that finds <paramref name="part"/> anywhere through the index, or null when the part has no
    /// run of three characters free of GLOB's special ones (the index could not narrow it: the plain scan is cheaper).
    /// </summary>
    public static string? GlobFor(string part)
    {
        var glob = new StringBuilder(part.Length + 8).Append('*');
        var run = 0;
        var longest = 0;
        foreach (var rune in part.EnumerateRunes())
        {
            if (rune.Value is '*' or '?' or '[' or ']')
            {
                // A one-character class matches the character itself; FTS5 takes it as a break between literal runs.
                glob.Append('[').Append((char)rune.Value).Append(']');
                run = 0;
                continue;
            }

            glob.Append(rune.ToString());
            longest = Math.Max(longest, ++run);
        }

        return longest >= MinimumRunes ? glob.Append('*').ToString() : null;
    }
}
