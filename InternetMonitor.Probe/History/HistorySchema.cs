using Microsoft.Data.Sqlite;

namespace InternetMonitor.Probe.History;

/// <summary>
/// The history database's schema, one migration per version (SQLite's <c>user_version</c> says which applied): a
/// database of any earlier version is brought up to date at open, each step in one transaction; one written by a newer
/// probe is refused, never changed. Times are UTC milliseconds since 1970 (ranges compare as integers); speeds in bits
/// per second, latencies in milliseconds.
/// </summary>
public static class HistorySchema
{
    /// <summary>Each version's statements, in order; index 0 is version 1. A released step never changes: add one.</summary>
    public static IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE speed_tests (
            id INTEGER PRIMARY KEY,
            started_at INTEGER NOT NULL,
            ended_at INTEGER NOT NULL,
            server TEXT NOT NULL,
            server_type TEXT NOT NULL,
            download_bits_per_second REAL,
            upload_bits_per_second REAL,
            download_bytes INTEGER NOT NULL,
            upload_bytes INTEGER NOT NULL,
            idle_latency_ms REAL,
            idle_jitter_ms REAL,
            download_latency_ms REAL,
            upload_latency_ms REAL,
            reason TEXT,
            failed_in TEXT,
            detail TEXT,
            UNIQUE (started_at, server)
        );
        CREATE TABLE outages (
            id INTEGER PRIMARY KEY,
            started_at INTEGER NOT NULL UNIQUE,
            ended_at INTEGER,
            cause TEXT NOT NULL
        );
        CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            alert_name TEXT NOT NULL,
            severity TEXT NOT NULL,
            summary TEXT NOT NULL,
            description TEXT NOT NULL,
            starts_at INTEGER NOT NULL,
            ends_at INTEGER,
            fingerprint TEXT NOT NULL,
            labels TEXT NOT NULL,
            UNIQUE (fingerprint, status, starts_at)
        );
        CREATE TABLE latency_minutes (
            target TEXT NOT NULL,
            minute INTEGER NOT NULL,
            role TEXT NOT NULL,
            address TEXT NOT NULL,
            sent INTEGER NOT NULL,
            lost INTEGER NOT NULL,
            min_ms REAL,
            median_ms REAL,
            p90_ms REAL,
            max_ms REAL,
            PRIMARY KEY (target, minute)
        ) WITHOUT ROWID;
        CREATE INDEX speed_tests_by_start ON speed_tests (started_at);
        CREATE INDEX alerts_by_time ON alerts (received_at);
        CREATE INDEX latency_minutes_by_minute ON latency_minutes (minute);
        """,

        // 2: an alert is told apart by its identity ("fp:" and its fingerprint, or "labels:" and its labels when it has
        // none, as AlertNotification.Identity), its status and its start; version 1 kept one of two alerts without a
        // fingerprint that began at the same time. Version 1's unique key is within this one: every row is kept.
        """
        CREATE TABLE alerts_v2 (
            id INTEGER PRIMARY KEY,
            received_at INTEGER NOT NULL,
            status TEXT NOT NULL,
            alert_name TEXT NOT NULL,
            severity TEXT NOT NULL,
            summary TEXT NOT NULL,
            description TEXT NOT NULL,
            starts_at INTEGER NOT NULL,
            ends_at INTEGER,
            fingerprint TEXT NOT NULL,
            labels TEXT NOT NULL,
            identity TEXT NOT NULL,
            UNIQUE (identity, status, starts_at)
        );
        INSERT INTO alerts_v2 (id, received_at, status, alert_name, severity, summary, description, starts_at, ends_at, fingerprint, labels, identity)
            SELECT id, received_at, status, alert_name, severity, summary, description, starts_at, ends_at, fingerprint, labels,
                   CASE WHEN fingerprint <> '' THEN 'fp:' || fingerprint ELSE 'labels:' || labels END
            FROM alerts;
        DROP TABLE alerts;
        ALTER TABLE alerts_v2 RENAME TO alerts;
        CREATE INDEX alerts_by_time ON alerts (received_at);
        """,

        // 3: measurement campaigns (a regulator's rules followed over days: Campaigns/), and which campaign a speed test
        // was measured for (a test of the regular schedule has none); each latency minute's jitter (null in older rows).
        """
        CREATE TABLE campaigns (
            id TEXT PRIMARY KEY,
            rules TEXT NOT NULL,
            started_at INTEGER NOT NULL,
            time_zone TEXT NOT NULL,
            wired INTEGER,
            plan TEXT NOT NULL,
            ended_at INTEGER,
            outcome TEXT,
            detail TEXT
        );
        ALTER TABLE speed_tests ADD COLUMN campaign TEXT;
        CREATE INDEX speed_tests_by_campaign ON speed_tests (campaign, started_at) WHERE campaign IS NOT NULL;
        ALTER TABLE latency_minutes ADD COLUMN jitter_ms REAL;
        """,

        // 4: DNS queries rolled up per server and minute (the provider report's DNS failures).
        """
        CREATE TABLE dns_minutes (
            server TEXT NOT NULL,
            minute INTEGER NOT NULL,
            queries INTEGER NOT NULL,
            failures INTEGER NOT NULL,
            median_ms REAL,
            PRIMARY KEY (server, minute)
        ) WITHOUT ROWID;
        CREATE INDEX dns_minutes_by_minute ON dns_minutes (minute);
        """,
    ];

    public static int Version => Migrations.Count;

    /// <summary>Brings <paramref name="connection"/>'s database to <see cref="Version"/>; returns the version it had.</summary>
    /// <exception cref="HistoryException">It was written by a newer probe.</exception>
    public static int Migrate(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var found = UserVersion(connection);
        if (found > Version)
        {
            throw new HistoryException("newer_schema", $"the history database has schema version {found}, written by a newer Internet Monitor; this one knows up to {Version} and leaves it unchanged");
        }

        // One transaction for every step: a reader (the API, the report) sees the schema it had or the whole new one,
        // never a step between, where a table of a later version is missing.
        using var transaction = connection.BeginTransaction();
        for (var version = found + 1; version <= Version; version++)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
#pragma warning disable CA2100 // The statements are this class's own constants.
            command.CommandText = Migrations[version - 1] + $"\nPRAGMA user_version = {version};";
#pragma warning restore CA2100
            command.ExecuteNonQuery();
        }

        transaction.Commit();
        return found;
    }

    public static int UserVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
