// The auth panel: which AppSync auth mode the explorer's requests use, and the credentials for it.
//
// Every mode answers three questions the same way AppSync clients do:
//   httpHeaders(body)              headers for POST /graphql
//   connectionAuth(host)           the real-time connection's auth JSON (sent as header-<base64url>)
//   startAuthorization(host, data) a subscription's extensions.authorization
// User-pool and OIDC tokens are minted by the emulator (POST /explorer/token); IAM requests are
// signed by it with the configured key pair (POST /explorer/sign), so no secret reaches the page.

const STORAGE_KEY = "appsync-emulator:auth";
const NO_AUTH = "NONE";
const LABELS = {
  API_KEY: "API key",
  AMAZON_COGNITO_USER_POOLS: "Cognito user pool",
  OPENID_CONNECT: "OpenID Connect",
  AWS_IAM: "IAM (SigV4)",
  AWS_LAMBDA: "Lambda authorizer",
  [NO_AUTH]: "No credentials",
};
const IAM_REALTIME_HEADERS = {
  accept: "application/json, text/javascript",
  "content-encoding": "amz-1.0",
  "content-type": "application/json; charset=UTF-8",
};
const $ = (id) => document.getElementById(id);

async function postJson(path, body) {
  const response = await fetch(path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ error: `HTTP ${response.status}` }));
  if (!response.ok) throw new Error(answer.error || `HTTP ${response.status}`);
  return answer;
}

/** The claims of a JWT, for showing who the explorer is signed in as (no verification here). */
export function jwtClaims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}

export class AuthPanel {
  /** @param config the answer of GET /explorer/config; @param onChange called when credentials change */
  constructor(config, onChange) {
    this.config = config;
    this.onChange = onChange;
    this.saved = this.#load();
    this.#fillChoices();
    this.#restore();
    this.#listen();
    this.#showFields();
  }

  get mode() {
    return $("ae-mode").value;
  }

  get isJwtMode() {
    return this.mode === "AMAZON_COGNITO_USER_POOLS" || this.mode === "OPENID_CONNECT";
  }

  get traceLists() {
    return $("ae-trace").checked;
  }

  async httpHeaders(body, host) {
    const mode = this.mode;
    if (mode === "API_KEY") return { "x-api-key": $("ae-apikey").value.trim() };
    if (this.isJwtMode) return { authorization: await this.#token() };
    if (mode === "AWS_LAMBDA") return { authorization: $("ae-lambda-token").value.trim() };
    if (mode === "AWS_IAM") {
      const signed = await this.#sign("/graphql", host, body, { "content-type": "application/json" });
      delete signed.host; // the browser sets Host itself, to the same value
      return signed;
    }
    return {};
  }

  async connectionAuth(host) {
    if (this.mode === "AWS_IAM") return this.#sign("/graphql/connect", host, "{}", IAM_REALTIME_HEADERS);
    return { host, ...(await this.httpHeaders("{}", host)) };
  }

  async startAuthorization(host, data) {
    if (this.mode === "AWS_IAM") return this.#sign("/graphql", host, data, IAM_REALTIME_HEADERS);
    return { host, ...(await this.httpHeaders(data, host)) };
  }

  /** Mints a token for the identity in the panel now (the "Mint token" button). */
  async mint() {
    const body = {
      username: $("ae-username").value.trim(),
      groups: $("ae-groups").value,
      email: $("ae-email").value.trim() || null,
      tokenUse: $("ae-token-use").value,
      oidc: this.mode === "OPENID_CONNECT",
    };
    try {
      const { token } = await postJson("/explorer/token", body);
      $("ae-token").value = token;
      this.#describe();
      return token;
    } catch (error) {
      this.#status(`token: ${error.message}`, true);
      throw error;
    }
  }

  async #token() {
    const current = $("ae-token").value.trim();
    const claims = current && jwtClaims(current);
    const fresh = claims && (!claims.exp || claims.exp * 1000 > Date.now() + 30_000);
    return fresh || (current && !claims) ? current : this.mint();
  }

  async #sign(path, host, body, headers) {
    const { headers: signed } = await postJson("/explorer/sign", {
      accessKeyId: $("ae-iam-key").value,
      host,
      path,
      body,
      headers,
    });
    return signed;
  }

  #fillChoices() {
    const modes = [...this.config.modes, NO_AUTH];
    $("ae-mode").replaceChildren(
      ...modes.map((mode) => {
        const suffix = mode === this.config.defaultMode ? " (default)" : "";
        return new Option(`${LABELS[mode] || mode}${suffix}`, mode);
      }),
    );
    $("ae-apikeys").replaceChildren(...this.config.apiKeys.map((k) => new Option(k.expires ? `expires ${k.expires}` : "", k.key)));
    $("ae-iam-key").replaceChildren(
      ...this.config.iam.credentials.map((c) => new Option(`${c.accessKeyId} · ${c.roleArn}`, c.accessKeyId)),
    );
  }

  #restore() {
    const saved = this.saved;
    const modes = [...this.config.modes, NO_AUTH];
    $("ae-mode").value = modes.includes(saved.mode) ? saved.mode : this.config.defaultMode;
    const firstKey = this.config.apiKeys.find((k) => !k.expires || Date.parse(k.expires) > Date.now());
    $("ae-apikey").value = saved.apiKey || (firstKey ? firstKey.key : "");
    $("ae-username").value = saved.username || "alice";
    $("ae-groups").value = saved.groups || "";
    $("ae-email").value = saved.email || "";
    $("ae-token-use").value = saved.tokenUse || "id";
    $("ae-lambda-token").value = saved.lambdaToken || "";
    $("ae-trace").checked = Boolean(saved.trace);
    if (saved.iamKey) $("ae-iam-key").value = saved.iamKey;
  }

  #listen() {
    const identityFields = ["ae-username", "ae-groups", "ae-email", "ae-token-use"];
    for (const id of identityFields) {
      $(id).addEventListener("change", () => {
        $("ae-token").value = ""; // a new identity needs a new token
        this.#changed();
      });
    }
    for (const id of ["ae-mode", "ae-apikey", "ae-token", "ae-iam-key", "ae-lambda-token", "ae-trace"]) {
      $(id).addEventListener("change", () => {
        if (id === "ae-mode") $("ae-token").value = "";
        this.#changed();
      });
    }
    $("ae-mint").addEventListener("click", () => this.mint().then(() => this.#changed(), () => {}));
  }

  #changed() {
    this.#save();
    this.#showFields();
    this.onChange();
  }

  #showFields() {
    const mode = this.mode;
    $("ae-apikey-fields").hidden = mode !== "API_KEY";
    $("ae-jwt-fields").hidden = !this.isJwtMode;
    $("ae-iam-fields").hidden = mode !== "AWS_IAM";
    $("ae-lambda-fields").hidden = mode !== "AWS_LAMBDA";
    this.#describe();
  }

  #describe() {
    const mode = this.mode;
    if (this.isJwtMode) {
      const claims = jwtClaims($("ae-token").value.trim());
      if (!claims) return this.#status(`${LABELS[mode]}: ${$("ae-username").value || "?"} (token minted on first request)`);
      const groups = claims["cognito:groups"] || [];
      const who = claims["cognito:username"] || claims.username || claims.sub;
      const until = claims.exp ? new Date(claims.exp * 1000).toLocaleTimeString() : "never";
      return this.#status(`${who}${groups.length ? ` [${groups.join(", ")}]` : ""} · ${claims.token_use || "oidc"} token until ${until}`);
    }
    if (mode === "AWS_IAM") return this.#status(`signing as ${$("ae-iam-key").value || "(no credentials configured)"}`);
    return this.#status(LABELS[mode] || mode);
  }

  #status(text, isError = false) {
    $("ae-identity").textContent = text;
    $("ae-identity").classList.toggle("ae-error", isError);
  }

  #load() {
    try {
      return JSON.parse(localStorage.getItem(STORAGE_KEY) || "{}");
    } catch {
      return {};
    }
  }

  #save() {
    const state = {
      mode: this.mode,
      apiKey: $("ae-apikey").value,
      username: $("ae-username").value,
      groups: $("ae-groups").value,
      email: $("ae-email").value,
      tokenUse: $("ae-token-use").value,
      lambdaToken: $("ae-lambda-token").value,
      iamKey: $("ae-iam-key").value,
      trace: $("ae-trace").checked,
    };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
  }
}
