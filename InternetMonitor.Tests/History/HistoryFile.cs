using System.Globalization;
using InternetMonitor.Probe.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Prometheus;

namespace InternetMonitor.Tests.History;

#pragma warning disable CA2100 // The SQL is the tests' own, to read back what was written.

/// <summary>A history database a test writes with a writer of its own, and reads back on a connection of its own, as the API would read it.</summary>
public static class HistoryFile
{
    /// <summary>A writer of the file at <paramref name="path"/>, as the probe would make it, with metrics no test reads.</summary>
    public static HistoryWriter Writer(string path) =>
        new(Options.Create(new HistoryOptions { Path = path }), new HistoryMetrics(Metrics.WithCustomRegistry(Metrics.NewCustomRegistry())), NullLogger<HistoryWriter>.Instance);

    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        command.ExecuteNonQuery();
    }

    public static T Scalar<T>(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>The single row <paramref name="sql"/> gives, its values joined by |, NULL as empty.</summary>
    public static string Row(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read(), $"no row: {sql}");
        var row = string.Join('|', Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? string.Empty : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture)));
        Assert.False(reader.Read(), $"more than one row: {sql}");
        return row;
    }

    /// <summary>The first column of every row <paramref name="sql"/> gives.</summary>
    public static List<string> Column(SqliteConnection connection, string sql)
    {
        using var command = Command(connection, sql);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        return command;
    }
}

/// <summary>The writer's asynchronous calls, waited for, for tests that set up a database before they read it.</summary>
public static class HistoryWriterWaits
{
    /// <summary>Hands <paramref name="rows"/> over and waits for their commit: true when they are on disk.</summary>
    public static bool Commit(this HistoryWriter writer, params HistoryRow[] rows) =>
        writer.CommitAsync(rows).GetAwaiter().GetResult() is HistoryCommit.Committed or HistoryCommit.Off;

    /// <summary>Writes what waits and waits for it: true when nothing is left waiting.</summary>
    public static bool Flush(this HistoryWriter writer) => writer.FlushAsync().GetAwaiter().GetResult();
}
