using System.Security.Cryptography;

namespace Climux.Core.Sessions;

/// <summary>Session ids: short, typeable, read aloud without confusion.</summary>
public static class SessionIds
{
    // No 0/o, 1/i/l. The first character is a letter so PowerShell never reads an id as a number (2e5…).
    private const string Letters = "abcdefghjkmnpqrstuvwxyz";
    private const string Alphabet = Letters + "23456789";
    private const int Length = 8;

    public static string New() =>
        Letters[RandomNumberGenerator.GetInt32(Letters.Length)] +
        new string(Enumerable.Range(0, Length - 1).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray());
}
