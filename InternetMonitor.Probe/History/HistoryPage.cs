using System.Collections;
using Microsoft.Data.Sqlite;

namespace InternetMonitor.Probe.History;

/// <summary>
/// One page of history rows, read from the database as it is enumerated (once), oldest first; <see cref="Next"/> is where
/// the next page starts, or null when this page holds the range's last row. Its query runs in a read transaction of its
/// own, so the page and <see cref="Next"/> come from one snapshot of the database. Disposing it closes the connection.
/// </summary>
public sealed class HistoryPage<T> : IEnumerable<T>, IDisposable
{
    private readonly SqliteConnection? _connection;
    private readonly SqliteCommand? _command;
    private readonly SqliteDataReader? _reader;
    private readonly Func<SqliteDataReader, T>? _read;
    private readonly Func<SqliteException, HistoryException>? _fail;
    private bool _enumerated;

    internal HistoryPage(SqliteConnection connection, SqliteCommand command, SqliteDataReader reader, Func<SqliteDataReader, T> read, HistoryCursor? next, Func<SqliteException, HistoryException> fail)
    {
        (_connection, _command, _reader, _read, _fail) = (connection, command, reader, read, fail);
        Next = next;
    }

    /// <summary>A page with no rows (no database yet).</summary>
    internal HistoryPage()
    {
    }

    public HistoryCursor? Next { get; }

    /// <exception cref="HistoryException">The database failed while the rows were read.</exception>
    public IEnumerator<T> GetEnumerator()
    {
        if (_reader is null)
        {
            yield break;
        }

        if (_enumerated)
        {
            throw new InvalidOperationException("a history page is read once");
        }

        _enumerated = true;
        while (true)
        {
            bool more;
            try
            {
                more = _reader.Read();
            }
            catch (SqliteException exception)
            {
                throw _fail!(exception);
            }

            if (!more)
            {
                yield break;
            }

            yield return _read!(_reader);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        _reader?.Dispose();
        _command?.Dispose();
        _connection?.Dispose(); // ends the read transaction with it
    }
}
