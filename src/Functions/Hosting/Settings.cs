using System.ComponentModel.DataAnnotations;

namespace MentorFlow.Functions.Hosting;

/// <summary>Where the Cosmos DB account is and how to reach it. Section <c>Cosmos</c>.</summary>
public sealed class CosmosSettings
{
    public const string Section = "Cosmos";

    [Required, Url]
    public string Endpoint { get; set; } = "";

    [Required]
    public string Database { get; set; } = "mentorflow";

    /// <summary>Account key; only for the local server. In Azure leave empty: the app signs in with its managed identity.</summary>
    public string? Key { get; set; }

    /// <summary>Client id of the user-assigned managed identity (Azure); empty means the default credential chain.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Accept the local server's self-signed certificate, for that endpoint only. Development only.</summary>
    public bool AcceptLocalCertificate { get; set; }

    /// <summary>Create the database and containers when missing (local). In Azure the Bicep template creates them.</summary>
    public bool CreateResources { get; set; }

    /// <summary>Share of data requests answered with an injected 429 or 503, for fault-injection tests. Development only.</summary>
    [Range(0.0, 0.9)]
    public double InjectFaultRate { get; set; }

    /// <summary>Attempts of the Polly retry on top of the SDK's own 429 retries.</summary>
    [Range(0, 10)]
    public int RetryAttempts { get; set; } = 6;
}

/// <summary>The SMTP relay that sends every email. Section <c>Smtp</c>.</summary>
public sealed class SmtpSettings
{
    public const string Section = "Smtp";

    [Required]
    public string Host { get; set; } = "";

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary><c>StartTls</c> (Azure Communication Services), <c>SslOnConnect</c> or <c>None</c> (the local inbox).</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    [Required, EmailAddress]
    public string FromAddress { get; set; } = "";

    [Required]
    public string FromName { get; set; } = "MentorFlow";

    [Range(0, 10)]
    public int RetryAttempts { get; set; } = 5;

    /// <summary>SMTP connections kept open at most (a MailKit client is not thread-safe: one per concurrent send).</summary>
    [Range(1, 16)]
    public int Connections { get; set; } = 16;

    /// <summary>Share of SMTP sends failed on purpose with a 450 (Polly's chaos strategy), for fault tests. Development only.</summary>
    [Range(0.0, 0.9)]
    public double InjectFaultRate { get; set; }
}

public enum SmtpSecurity { None, StartTls, SslOnConnect }

public enum EmailTransport { Smtp, AcsRest }

/// <summary>How email leaves the app. Section <c>Email</c>.</summary>
public sealed class EmailSettings
{
    public const string Section = "Email";

    /// <summary><c>Smtp</c> (MailDev locally, any provider) or <c>AcsRest</c> (Communication Services with the managed identity).</summary>
    public EmailTransport Transport { get; set; } = EmailTransport.Smtp;
}

/// <summary>Communication Services' Email REST API, signed in with the managed identity. Section <c>Acs</c>.</summary>
public sealed class AcsSettings
{
    public const string Section = "Acs";

    /// <summary>The Communication Services resource, e.g. <c>https://name.communication.azure.com</c>.</summary>
    [Required, Url]
    public string Endpoint { get; set; } = "";

    /// <summary>The linked domain's sender, e.g. <c>DoNotReply@….azurecomm.net</c>.</summary>
    [Required, EmailAddress]
    public string SenderAddress { get; set; } = "";

    public string ApiVersion { get; set; } = "2025-09-01";

    /// <summary>A user-assigned identity's client id; empty: the system-assigned identity.</summary>
    public string? ManagedIdentityClientId { get; set; }

    [Range(0, 10)]
    public int RetryAttempts { get; set; } = 5;
}

/// <summary>Admin access and the public face of the app. Section <c>MentorFlow</c>.</summary>
public sealed class AppSettings
{
    public const string Section = "MentorFlow";

    /// <summary>The key admin requests carry in <c>X-Admin-Key</c>.</summary>
    [Required, MinLength(16)]
    public string AdminKey { get; set; } = "";

    /// <summary>
    /// Named admin keys, name → key (<c>MentorFlow__AdminKeys__Jane</c>): whoever presents one acts under that name in the pairs'
    /// timelines and the audit trail. The single <see cref="AdminKey"/> still works and acts as "admin".
    /// </summary>
    public Dictionary<string, string> AdminKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The name a presented key acts under ("admin" for <see cref="AdminKey"/>), or null; every key is compared in fixed time.</summary>
    public string? AdminNamed(string? presented)
    {
        if (string.IsNullOrEmpty(presented))
        {
            return null;
        }
        var bytes = System.Text.Encoding.UTF8.GetBytes(presented);
        string? found = null;
        foreach (var (name, key) in AllAdminKeys())
        {
            if (System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(bytes, System.Text.Encoding.UTF8.GetBytes(key)) && found is null)
            {
                found = name;
            }
        }
        return found;
    }

    /// <summary>Every admin key with the name it acts under, the single key first.</summary>
    public IEnumerable<(string Name, string Key)> AllAdminKeys() =>
        new[] { (Apis.Actor.KeyAdmin, AdminKey) }.Concat(AdminKeys.Select(kv => (kv.Key, kv.Value)));

    /// <summary>The address people reach the app at, used in links in emails.</summary>
    [Required, Url]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>Intake posts one client address may make per minute.</summary>
    [Range(1, 100_000)]
    public int IntakePermitsPerMinute { get; set; } = 20;

    /// <summary>
    /// The secret participant ids are keyed with (≥ 32 characters, from Key Vault). Empty: derived from the admin key —
    /// then rotating the admin key changes how new ids are derived, so set this one where the admin key is rotated.
    /// </summary>
    public string? ParticipantIdKey { get; set; }

    /// <summary>The bytes of <see cref="ParticipantIdKey"/>, or of the admin key's derivation.</summary>
    public byte[] ParticipantIdSecret() => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
        string.IsNullOrEmpty(ParticipantIdKey) ? "mentorflow participant ids\n" + AdminKey : ParticipantIdKey));

    /// <summary>
    /// The key that encrypts the Data Protection key ring at rest (base64, 32 bytes; from Key Vault as a secret reference).
    /// Ignored when <see cref="KeyRingKeyVaultKeyId"/> is set. Development has a development key.
    /// </summary>
    public string? KeyRingKey { get; set; }

    /// <summary>A Key Vault key (<c>https://{vault}.vault.azure.net/keys/{name}</c>) that wraps the key ring's keys, by the managed identity.</summary>
    public string? KeyRingKeyVaultKeyId { get; set; }

    /// <summary>The user-assigned identity that may use <see cref="KeyRingKeyVaultKeyId"/> (empty: the system-assigned one).</summary>
    public string? KeyRingManagedIdentityClientId { get; set; }

    /// <summary>With Entra ID configured, refuse the admin key altogether (API and console): every admin is a named Entra user.</summary>
    public bool DisableAdminKey { get; set; }

    /// <summary>Days after a cohort closes before its participants' personal data is erased (the counts remain).</summary>
    [Range(1, 3650)]
    public int RetainPersonalDataDays { get; set; } = 365;

    /// <summary>Answers from email links (check-ins, surveys) one client address may post per minute; counted apart from intake.</summary>
    [Range(1, 100_000)]
    public int LinkPermitsPerMinute { get; set; } = 60;

    /// <summary>
    /// The share of each sending window (minute and hour) that registration emails may use at most: a flood of sign-ups through
    /// the public form, real or hostile, leaves the rest for the pairs' introductions and check-ins.
    /// </summary>
    [Range(0.05, 1.0)]
    public double RegistrationShare { get; set; } = 0.5;

    /// <summary>Wrong admin keys one client may present per minute (API header and console sign-in together) before it is refused for the rest of the minute.</summary>
    [Range(1, 1000)]
    public int AdminKeyGuessesPerMinute { get; set; } = 10;

    /// <summary>Closing-survey changes one client may post per minute from manage pages.</summary>
    [Range(1, 100_000)]
    public int SurveyChangesPerMinute { get; set; } = 10;

    /// <summary>Networks of the proxies in front of the app (CIDR), whose X-Forwarded-For is believed; none by default.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>The parsed <see cref="TrustedProxies"/>: the rate limits' client and the forwarded scheme both believe these alone.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedNetworks() => [.. TrustedProxies.Select(System.Net.IPNetwork.Parse)];

    /// <summary>Largest request body accepted, in bytes.</summary>
    [Range(1024, 10_000_000)]
    public int MaxBodyBytes { get; set; } = 64 * 1024;

    /// <summary>How often the outbox is swept for emails still to send.</summary>
    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a sender holds its claim on an email before another may take it over.</summary>
    public TimeSpan OutboxLease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Run the outbox sender in this process (off for a process that only serves HTTP).</summary>
    public bool RunOutbox { get; set; } = true;

    /// <summary>
    /// Run the workflow's orchestrations in this process (the local Durable Task engine on <c>Durable:StorageConnectionString</c>);
    /// off for a process that only serves HTTP.
    /// </summary>
    public bool RunWorkflow { get; set; } = true;

    /// <summary>Documents whose messages are sent at once (the messages of one document always one after another).</summary>
    [Range(1, 64)]
    public int SendConcurrency { get; set; } = 16;

    /// <summary>The email provider's quota: Azure Communication Services allows 30 a minute and 100 an hour on a custom domain (5 and 10 on an Azure-managed one).</summary>
    [Range(1, 100_000)]
    public int EmailsPerMinute { get; set; } = 30;

    [Range(1, 1_000_000)]
    public int EmailsPerHour { get; set; } = 100;

    /// <summary>
    /// Entra ID (or any OpenID Connect) authority whose bearer tokens admin requests may carry instead of the key, e.g.
    /// <c>https://login.microsoftonline.com/{tenant}/v2.0</c>; empty: the admin key only.
    /// </summary>
    public string? EntraAuthority { get; set; }

    /// <summary>The audience admin tokens must be issued for: the MentorFlow API app's client id.</summary>
    public string? EntraAudience { get; set; }

    /// <summary>The app role an admin token must carry in its <c>roles</c> claim.</summary>
    [Required]
    public string EntraAdminRole { get; set; } = "MentorFlow.Admin";

    /// <summary>
    /// The console's app registration (client id) for Entra ID sign-in at <c>/console</c>; with <see cref="EntraAuthority"/> set,
    /// the console signs admins in with OpenID Connect (code + PKCE) and no longer accepts the admin key in its sign-in form.
    /// </summary>
    public string? EntraClientId { get; set; }

    /// <summary>The console app registration's client secret, if it is a confidential client (empty: PKCE only, a public client).</summary>
    public string? EntraClientSecret { get; set; }

    /// <summary>How long a console session lasts at most from sign-in, however active (at most 12 hours).</summary>
    public TimeSpan ConsoleSessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>How long an idle console session lasts; each request within it extends it (never past <see cref="ConsoleSessionLifetime"/>).</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan ConsoleSessionIdle { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Whether the console signs in with Entra ID (authority and client id configured).</summary>
    public bool ConsoleUsesEntra => !string.IsNullOrWhiteSpace(EntraAuthority) && !string.IsNullOrWhiteSpace(EntraClientId);

    /// <summary>Development only: read the authority's metadata over plain HTTP (a local identity provider in tests).</summary>
    public bool EntraAllowHttpMetadata { get; set; }

    /// <summary>Development only: a clock that <c>POST /api/dev/clock</c> can move forward.</summary>
    public bool DevClock { get; set; }
}
