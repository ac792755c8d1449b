namespace InternetMonitor.Probe.Probing;

/// <summary>Reads a network exception and its inner exceptions, where the useful part of a fault usually hides.</summary>
public static class ExceptionChain
{
    /// <summary>Every distinct message of the chain, outermost first, joined with ": ".</summary>
    public static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message))
            {
                messages.Add(current.Message);
            }
        }

        return string.Join(": ", messages);
    }

    /// <summary>The first exception of type <typeparamref name="T"/> in the chain, or null.</summary>
    public static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }
}
