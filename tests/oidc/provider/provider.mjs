// The OpenID Provider of the OIDC tests: the certified `oidc-provider` package, on
// 127.0.0.1, started by tests/oidc/provider.py. Not for production: its sign-in page is
// the package's development one (any user name, any password).
//
// Environment: OP_PORT; OP_JWKS (a JSON key set with the private signing key, so the
// tests can forge tokens with the provider's own key); OP_CLIENT (JSON: client_id,
// client_secret, redirect_uris, post_logout_redirect_uris); OP_ACCOUNTS (a JSON file
// read at every sign-in: {"<login>": {"email": ..., "groups": [...]}}, so a test changes
// a user's groups between two sign-ins).
import fs from "node:fs";

import Provider from "oidc-provider";

const port = Number(process.env.OP_PORT);
const issuer = `http://127.0.0.1:${port}`;
const client = JSON.parse(process.env.OP_CLIENT);

function account(id) {
  const accounts = JSON.parse(fs.readFileSync(process.env.OP_ACCOUNTS, "utf8"));
  return accounts[id];
}

const configuration = {
  clients: [
    {
      ...client,
      grant_types: ["authorization_code"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_post",
    },
  ],
  jwks: JSON.parse(process.env.OP_JWKS),
  claims: {
    openid: ["sub"],
    email: ["email", "email_verified"],
    profile: ["name", "given_name", "family_name", "preferred_username"],
    groups: ["groups"],
  },
  // Every claim of the granted scopes in the ID token too (as Entra ID puts the groups).
  conformIdTokenClaims: false,
  cookies: { keys: ["helhedsplaner-test-provider-cookie-key"] },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
  },
  pkce: { required: () => true },
  async findAccount(ctx, id) {
    const found = account(id);
    if (!found) return undefined;
    return {
      accountId: id,
      async claims() {
        return { sub: id, email_verified: true, ...found };
      },
    };
  },
  // No consent page: the municipality's own application is granted what it asks.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      const existing = await ctx.oidc.provider.Grant.find(grantId);
      if (existing) return existing;
    }
    const grant = new ctx.oidc.provider.Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope("openid email profile groups");
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
provider.listen(port, "127.0.0.1", () => {
  console.log(`oidc-provider listening on ${issuer}`);
});
