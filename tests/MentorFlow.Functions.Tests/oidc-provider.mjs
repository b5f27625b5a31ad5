// A real OpenID Connect provider (oidc-provider from npm) for the console's Entra ID sign-in tests.
// Usage: node oidc-provider.mjs <port> <redirect-uri>. Any login works (the library's development interactions); a login
// starting with "admin" carries the MentorFlow.Admin app role in the ID token's roles claim, any other login a different role.
import Provider from "oidc-provider";

const [port, redirectUri] = process.argv.slice(2);
const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: "mentorflow-console",
    client_secret: "console-secret-for-tests-only",
    redirect_uris: [redirectUri],
    response_types: ["code"],
    grant_types: ["authorization_code"],
    token_endpoint_auth_method: "client_secret_post",
  }],
  claims: { openid: ["sub"], profile: ["name", "roles"] },
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  findAccount: async (_ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, name: id, roles: id.startsWith("admin") ? ["MentorFlow.Admin"] : ["MentorFlow.Reader"] }),
  }),
  // No consent screen: the grant covers what the console asks for.
  loadExistingGrant: async (ctx) => {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope("openid profile");
    await grant.save();
    return grant;
  },
});
provider.listen(Number(port), "127.0.0.1", () => console.log("ready"));
