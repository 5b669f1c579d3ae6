using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace ImageProxy.Server.Caching;

/// <summary>
/// A concurrent table with a cost budget. A lookup marks its entry used; when the summed cost passes the budget,
/// the least recently used entries go until it is back at 90 %, so eviction runs now and then rather than on every
/// insert. The memory tier charges bytes, the response memo one per response.
/// </summary>
/// <param name="budget">The most cost the table holds.</param>
/// <param name="removed">Called once for every value that leaves the table (evicted, removed or replaced), e.g. to close a handle it owns.</param>
public sealed class LruTable<TKey, TValue>(long budget, Action<TValue>? removed = null)
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, Slot> _slots = new();
    private readonly object _evicting = new();
    private long _cost;
    private long _useCounter;

    public long Budget { get; } = budget;

    /// <summary>Cost currently held.</summary>
    public long Cost => Interlocked.Read(ref _cost);

    public int Count => _slots.Count;

    private long _evictions;

    /// <summary>Entries dropped to stay under the budget (not removals or purges), since creation.</summary>
    public long Evictions => Interlocked.Read(ref _evictions);

    public bool TryGet(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_slots.TryGetValue(key, out var slot))
        {
            // A counter, not the clock: only the order matters for eviction, and it is cheaper.
            slot.LastUsed = Interlocked.Increment(ref _useCounter);
            value = slot.Value;
            return true;
        }

        value = null;
        return false;
    }

    /// <summary>
    /// Adds or replaces. False when the value alone exceeds the budget: it is then not kept (it stays the caller's)
    /// and an older value under the key is dropped too.
    /// </summary>
    public bool Set(TKey key, TValue value, long cost)
    {
        if (cost > Budget)
        {
            Remove(key);
            return false;
        }

        var slot = new Slot(value, cost) { LastUsed = Interlocked.Increment(ref _useCounter) };
        while (true)
        {
            // Not AddOrUpdate: its update may run more than once, and the value it replaced must be reported exactly once.
            if (_slots.TryGetValue(key, out var previous))
            {
                if (_slots.TryUpdate(key, slot, previous))
                {
                    Interlocked.Add(ref _cost, cost - previous.Cost);
                    removed?.Invoke(previous.Value);
                    break;
                }
            }
            else if (_slots.TryAdd(key, slot))
            {
                Interlocked.Add(ref _cost, cost);
                break;
            }
        }

        if (Interlocked.Read(ref _cost) > Budget)
        {
            Evict();
        }

        return true;
    }

    public void Remove(TKey key)
    {
        if (_slots.TryRemove(key, out var slot))
        {
            Interlocked.Add(ref _cost, -slot.Cost);
            removed?.Invoke(slot.Value);
        }
    }

    /// <summary>Removes the entry only while it still holds <paramref name="value"/>: a concurrent Set may have put a newer one in its place.</summary>
    public void Remove(TKey key, TValue value)
    {
        if (_slots.TryGetValue(key, out var slot) && ReferenceEquals(slot.Value, value))
        {
            Remove(key, slot);
        }
    }

    public void Clear() => RemoveWhere((_, _) => true);

    /// <summary>A scan: meant for rare operations (purges) on a bounded table, where a second index would cost more to keep in step.</summary>
    public void RemoveWhere(Func<TKey, TValue, bool> predicate)
    {
        foreach (var (key, slot) in _slots)
        {
            if (predicate(key, slot.Value))
            {
                Remove(key, slot);
            }
        }
    }

    private bool Remove(TKey key, Slot slot)
    {
        if (!_slots.TryRemove(new KeyValuePair<TKey, Slot>(key, slot)))
        {
            return false;
        }

        Interlocked.Add(ref _cost, -slot.Cost);
        removed?.Invoke(slot.Value);
        return true;
    }

    private void Evict()
    {
        if (!Monitor.TryEnter(_evicting))
        {
            return; // another thread is already evicting
        }

        try
        {
            var target = Budget * 9 / 10;
            if (Interlocked.Read(ref _cost) <= Budget)
            {
                return;
            }

            foreach (var (key, slot) in _slots.ToArray().OrderBy(pair => pair.Value.LastUsed))
            {
                if (Interlocked.Read(ref _cost) <= target)
                {
                    break;
                }

                if (Remove(key, slot))
                {
                    Interlocked.Increment(ref _evictions);
                }
            }
        }
        finally
        {
            Monitor.Exit(_evicting);
        }
    }

    private sealed class Slot(TValue value, long cost)
    {
        public TValue Value { get; } = value;

        public long Cost { get; } = cost;

        public long LastUsed { get; set; }
    }
}
