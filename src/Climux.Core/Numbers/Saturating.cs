namespace Climux.Core.Numbers;

/// <summary>Arithmetic on usage numbers that stops at the largest value instead of wrapping around or throwing.</summary>
public static class Saturating
{
    public static long Add(params ReadOnlySpan<long> values)
    {
        long sum = 0;
        foreach (var value in values)
        {
            var next = sum + value;
            // Overflow happened when both operands share a sign the result does not.
            if (((sum ^ next) & (value ^ next)) < 0)
                return value > 0 ? long.MaxValue : long.MinValue;
            sum = next;
        }
        return sum;
    }

    /// <summary>A floating-point total (as SQL's overflow-free sums give) as a whole number, clamped to the range of long.</summary>
    public static long ToLong(double value) => double.IsNaN(value) ? 0
        : value >= long.MaxValue ? long.MaxValue
        : value <= long.MinValue ? long.MinValue
        : (long)Math.Round(value);

    /// <summary>A floating-point amount as a decimal, clamped to the range of decimal, rounded to 10 places.</summary>
    public static decimal ToDecimal(double value) => double.IsNaN(value) ? 0m
        : value >= (double)decimal.MaxValue ? decimal.MaxValue
        : value <= (double)decimal.MinValue ? decimal.MinValue
        : decimal.Round((decimal)value, 10);
}
