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

    public (byte[] Wrapped, string KeyId) Wrap(byte[] dataKey)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var output = new byte[12 + 16 + dataKey.Length];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, dataKey, output.AsSpan(28), output.AsSpan(12, 16));
        nonce.CopyTo(output, 0);
        return (output, _keyId);
    }

    public byte[] Unwrap(byte[] wrapped, string keyId)
    {
        if (keyId != _keyId)
        {
            throw new CryptographicException($"The key ring was protected with another key ({keyId}); set MentorFlow:KeyRingKey to that key.");
        }
        var plain = new byte[wrapped.Length - 28];
        using var aes = new AesGcm(key, 16);
        aes.Decrypt(wrapped.AsSpan(0, 12), wrapped.AsSpan(28), wrapped.AsSpan(12, 16), plain);
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
        var nonce = RandomNumberGenerator.GetBytes(12);
        var plain = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var cipher = new byte[plain.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(dataKey, 16))
        {
            aes.Encrypt(nonce, plain, cipher, tag);
        }
        var (wrapped, kid) = wrap.Wrap(dataKey);
        CryptographicOperations.ZeroMemory(dataKey);
        var element = new XElement("encryptedKey",
            new XElement("wrappedKey", new XAttribute("kid", kid), Convert.ToBase64String(wrapped)),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(cipher)));
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
        var cipher = Convert.FromBase64String(encryptedElement.Element("value")!.Value);
        var plain = new byte[cipher.Length];
        using (var aes = new AesGcm(dataKey, 16))
        {
            aes.Decrypt(Convert.FromBase64String(encryptedElement.Element("nonce")!.Value), cipher, Convert.FromBase64String(encryptedElement.Element("tag")!.Value), plain);
        }
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
