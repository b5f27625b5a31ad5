using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Azure.Core;
using MentorFlow.Functions.Hosting;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.Options;

namespace MentorFlow.Functions.Store;

/// <summary>Wraps and unwraps the data key of one key-ring element with a key the database never holds.</summary>
public interface IKeyWrap
{
    /// <summary>The wrapped key and which key wrapped it (stored beside it, so that a rotated wrapping key still unwraps old elements).</summary>
    (byte[] Wrapped, string KeyId) Wrap(byte[] dataKey);

    byte[] Unwrap(byte[] wrapped, string keyId);
}

/// <summary>A wrapping key from configuration (local runs and small deployments; in Azure a Key Vault reference): AES-256-GCM.</summary>
public sealed class ConfiguredKeyWrap(byte[] key) : IKeyWrap
{
    private readonly string _keyId = "configured:" + Convert.ToHexStringLower(SHA256.HashData(key))[..16];

    public (byte[] Wrapped, string KeyId) Wrap(byte[] dataKey) => (Sealed.Seal(key, dataKey), _keyId);

    public byte[] Unwrap(byte[] wrapped, string keyId) => keyId == _keyId
        ? Sealed.Open(key, wrapped)
        : throw new CryptographicException($"The key ring was protected with another key ({keyId}); set MentorFlow:KeyRingKey to that key.");
}

/// <summary>AES-256-GCM with a fresh nonce, packed as nonce (12 bytes) | tag (16) | ciphertext: the wrap of a data key and the seal of an element alike.</summary>
internal static class Sealed
{
    public static byte[] Seal(byte[] key, byte[] plain)
    {
        var output = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(28), output.AsSpan(12, 16));
        return output;
    }

    public static byte[] Open(byte[] key, byte[] sealedBytes)
    {
        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        return plain;
    }
}

/// <summary>
/// A Key Vault key wraps the data key with the app's managed identity (no secret): Key Vault REST 7.4,
/// <c>POST {kid}/wrapkey</c> and <c>{kid}/unwrapkey</c> with <c>RSA-OAEP-256</c>, bearer token for <c>https://vault.azure.net/.default</c>.
/// The key material never leaves the vault; the app sees only the wrapped data key.
/// </summary>
public sealed class KeyVaultKeyWrap(HttpClient http, TokenCredential credential, string keyId) : IKeyWrap
{
    public const string Scope = "https://vault.azure.net/.default";
    private const string ApiVersion = "7.4";

    // Key Vault answers with the versioned kid that wrapped the key; unwrapping names that version.
    public (byte[] Wrapped, string KeyId) Wrap(byte[] dataKey)
    {
        var wrapped = Call(keyId, "wrapkey", dataKey, out var kid);
        return (wrapped, kid.Length > 0 ? kid : keyId);
    }

    public byte[] Unwrap(byte[] wrapped, string keyId) => Call(keyId, "unwrapkey", wrapped, out _);

    private byte[] Call(string kid, string operation, byte[] value, out string answeredKid)
    {
        var token = credential.GetToken(new TokenRequestContext([Scope]), CancellationToken.None);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{kid.TrimEnd('/')}/{operation}?api-version={ApiVersion}")
        {
            Content = JsonContent.Create(new { alg = "RSA-OAEP-256", value = System.Buffers.Text.Base64Url.EncodeToString(value) }),
        };
        request.Headers.Authorization = new("Bearer", token.Token);
        using var response = http.Send(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new CryptographicException($"Key Vault refused {operation} ({(int)response.StatusCode}).");
        }
        using var stream = response.Content.ReadAsStream();
        var body = JsonNode.Parse(stream)!;
        answeredKid = body["kid"]?.GetValue<string>() ?? "";
        return System.Buffers.Text.Base64Url.DecodeFromChars(body["value"]!.GetValue<string>());
    }
}

/// <summary>
/// Encrypts each key-ring element before it reaches Cosmos DB: the element under a fresh AES-256-GCM data key, the data
/// key wrapped by <see cref="IKeyWrap"/>. Anyone who reads the database sees ciphertext, not key material.
/// </summary>
public sealed class KeyRingEncryptor(IKeyWrap wrap) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var value = Sealed.Seal(dataKey, System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting)));
        var (wrapped, kid) = wrap.Wrap(dataKey);
        CryptographicOperations.ZeroMemory(dataKey);
        var element = new XElement("encryptedKey",
            new XElement("wrappedKey", new XAttribute("kid", kid), Convert.ToBase64String(wrapped)),
            new XElement("value", Convert.ToBase64String(value)));
        return new EncryptedXmlInfo(element, typeof(KeyRingDecryptor));
    }
}

/// <summary>Data Protection creates the decryptor by type with the app's services.</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var wrap = services.GetService(typeof(IKeyWrap)) as IKeyWrap
            ?? throw new InvalidOperationException("The key ring is encrypted but no key to unwrap it is configured (MentorFlow:KeyRingKey or MentorFlow:KeyRingKeyVaultKeyId).");
        var wrapped = encryptedElement.Element("wrappedKey")!;
        var dataKey = wrap.Unwrap(Convert.FromBase64String(wrapped.Value), (string)wrapped.Attribute("kid")!);
        var plain = Sealed.Open(dataKey, Convert.FromBase64String(encryptedElement.Element("value")!.Value));
        CryptographicOperations.ZeroMemory(dataKey);
        return XElement.Parse(System.Text.Encoding.UTF8.GetString(plain));
    }
}

/// <summary>Chooses the wrapping key from the settings: a Key Vault key by the managed identity, else the configured key.</summary>
public static class KeyRingProtection
{
    public static IKeyWrap Create(IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<AppSettings>>().Value;
        if (!string.IsNullOrWhiteSpace(settings.KeyRingKeyVaultKeyId))
        {
            var credential = settings.KeyRingManagedIdentityClientId is { Length: > 0 } clientId
                ? new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.FromUserAssignedClientId(clientId))
                : new Azure.Identity.ManagedIdentityCredential(Azure.Identity.ManagedIdentityId.SystemAssigned);
            return new KeyVaultKeyWrap(services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(KeyVaultKeyWrap)), credential, settings.KeyRingKeyVaultKeyId);
        }
        return new ConfiguredKeyWrap(Convert.FromBase64String(settings.KeyRingKey!));
    }
}
