using Npgsql;
using NpgsqlTypes;

namespace Rekognition.PostgreSql.Connections;

/// <summary>Small helpers that keep the stores' data access readable.</summary>
internal static class PgCommands
{
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        new(sql, connection, transaction);

    /// <summary>Adds a parameter whose type the value says (a null value needs <see cref="Text"/> or a typed overload).</summary>
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, object value)
    {
        command.Parameters.AddWithValue(name, value);
        return command;
    }

    /// <summary>Adds a text parameter, null or not.</summary>
    public static NpgsqlCommand Text(this NpgsqlCommand command, string name, string? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value });
        return command;
    }

    /// <summary>Adds a text[] parameter (for <c>= ANY(@name)</c>).</summary>
    public static NpgsqlCommand Texts(this NpgsqlCommand command, string name, IEnumerable<string> values)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = values.ToArray() });
        return command;
    }

    /// <summary>Adds a nullable integer parameter.</summary>
    public static NpgsqlCommand Int(this NpgsqlCommand command, string name, int? value)
    {
        command.Parameters.Add(new NpgsqlParameter(name, NpgsqlDbType.Integer) { Value = (object?)value ?? DBNull.Value });
        return command;
    }

    public static long Scalar(this NpgsqlCommand command) =>
        Convert.ToInt64(command.ExecuteScalar() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    /// <summary>Every row of <paramref name="command"/> read by <paramref name="read"/>.</summary>
    public static List<T> ReadAll<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read)
    {
        using var reader = command.ExecuteReader();
        var result = new List<T>();
        while (reader.Read())
        {
            result.Add(read(reader));
        }

        return result;
    }

    /// <summary>The first row of <paramref name="command"/> read by <paramref name="read"/>; null when there is none.</summary>
    public static T? ReadFirst<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read)
        where T : class
    {
        using var reader = command.ExecuteReader();
        return reader.Read() ? read(reader) : null;
    }
}
