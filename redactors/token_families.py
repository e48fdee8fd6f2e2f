"""Provider token families by their documented prefixes and shapes, as one data table.

Each row names a family, a cheap `sign` (a literal or tiny regex that every token of the family
contains), the full `pattern`, the entity and score a match gets, an optional validator, and the
source of the prefix. All signs go into the one RE2 set the credential detector runs per value,
so an ordinary value costs one set call whatever the table's length; a row's full pattern runs
only when its sign was seen. A pattern with a capture group reports the group's span (the secret
path of a webhook URL, the password of `curl -u user:pass`), otherwise the whole match.

Why hand-written rather than a dependency: Yelp's detect-secrets (Apache-2.0) was measured for
reuse. Its 24 regex plugins cover about a fifth of these families, 13 of its 46 patterns use
look-around that RE2 refuses, and its per-line scan costs ~200 us against ~2 us here. Prefixes
below come from each vendor's published token-format documentation (the `source` column).
"""

# ruff: noqa: E501  (one row per family: a table reads best one line a row)
from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import NamedTuple

from datamin.redactors.generic_tokens import wordy


class TokenFamily(NamedTuple):
    family: str
    sign: str  # in the detector's RE2 prefilter set
    pattern: str  # RE2; group 1, when present, is the secret's span
    score: float
    source: str  # where the prefix or shape is documented
    entity: str = "API_KEY"
    check: str = ""  # a validator in CHECKS the matched text must pass
    # The score when `check` fails, for a shape no other text takes (0: the check vetoes).
    # Validation raises confidence there; it does not decide whether a secret is one.
    doubted: float = 0.0


_B62 = "A-Za-z0-9"
_URLSAFE = "A-Za-z0-9_\\-"

# A sign that opens with a class and a counted repeat is costly to scan in random text (a JWT's
# base64: RE2's DFA follows a start at every letter): it keeps its pattern's word boundary,
# or reads a rarer part of the token (Discord, Mailgun below: 3x cheaper on Bearer headers).
# fmt: off
TABLE: tuple[TokenFamily, ...] = (
    # Cloud -------------------------------------------------------------------------------------
    TokenFamily("aws_access_key_id", r"A[KSBC][IC]A", r"\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b", 0.95, "AWS IAM: unique ID prefixes"),
    TokenFamily("aws_secret_after_key_id", r"A[KS]IA", r"\b(?:AKIA|ASIA)[A-Z0-9]{16}[\s\"',:;|=]{1,10}([A-Za-z0-9/+]{40})\b", 0.9, "AWS IAM: secret access key beside its key id"),
    TokenFamily("aws_session_token", r"FwoGZXIvYXdz|IQoJb3JpZ2luX2Vj", r"\b(?:FwoGZXIvYXdz|IQoJb3JpZ2luX2Vj)[A-Za-z0-9/+=]{60,}", 0.95, "AWS STS session tokens (observed fixed header)"),
    TokenFamily("gcp_api_key", r"AIza", rf"\bAIza[{_URLSAFE}]{{35}}", 0.95, "Google Cloud: API keys"),
    TokenFamily("gcp_oauth_client_secret", r"GOCSPX-", rf"\bGOCSPX-[{_URLSAFE}]{{28}}", 0.99, "Google OAuth client secrets"),
    TokenFamily("gcp_oauth_access_token", r"ya29\.", rf"\bya29\.[{_URLSAFE}]{{30,}}", 0.9, "Google OAuth 2.0 access tokens"),
    TokenFamily("azure_storage_account_key", r"(?i)accountkey=", r"(?i)AccountKey=([A-Za-z0-9+/]{86}==)", 0.95, "Azure Storage connection strings"),
    TokenFamily("azure_ad_client_secret", r"[0-9]Q~", r"(?:^|[^A-Za-z0-9_~.\-])([A-Za-z0-9_~.\-]{3}[0-9]Q~[A-Za-z0-9_~.\-]{31,34})", 0.9, "Microsoft Entra client secrets (Q~ marker)"),
    TokenFamily("digitalocean", r"do[opr]_v1_", r"\bdo[opr]_v1_[a-f0-9]{64}\b", 0.99, "DigitalOcean: token prefixes"),
    TokenFamily("heroku", r"HRKU-", rf"\bHRKU-[{_URLSAFE}]{{20,}}", 0.95, "Heroku: API key prefix"),
    TokenFamily("alibaba_access_key_id", r"LTAI", rf"\bLTAI[{_B62}]{{12,20}}\b", 0.9, "Alibaba Cloud: AccessKey ID"),
    TokenFamily("supabase", r"sbp_", r"\bsbp_[a-f0-9]{40}\b", 0.99, "Supabase: access tokens"),
    TokenFamily("netlify", r"nf[pc]_", rf"\bnf[pc]_[{_B62}]{{36,}}", 0.95, "Netlify: personal access tokens"),
    TokenFamily("terraform_cloud", r"\.atlasv1\.", rf"\b[{_B62}]{{14}}\.atlasv1\.[{_URLSAFE}=]{{60,}}", 0.99, "HashiCorp Terraform Cloud API tokens"),
    TokenFamily("pulumi", r"pul-", r"\bpul-[a-f0-9]{40}\b", 0.99, "Pulumi: access tokens"),
    TokenFamily("planetscale", r"pscale_", rf"\bpscale_(?:pw|tkn|oauth)_[{_URLSAFE}.=]{{32,64}}", 0.99, "PlanetScale: token prefixes"),
    TokenFamily("render", r"rnd_", rf"\brnd_[{_B62}]{{32,}}", 0.95, "Render: API keys"),
    TokenFamily("prefect", r"pnu_", rf"\bpnu_[{_B62}]{{36}}\b", 0.99, "Prefect Cloud: API keys"),
    TokenFamily("yandex_iam", r"t1\.", rf"\b(t1\.[{_URLSAFE}]+={{0,2}}\.[{_URLSAFE}]{{86}}={{0,2}})(?:[^{_URLSAFE}=.]|$)", 0.95, "Yandex Cloud: IAM tokens", check="random_tail"),
    TokenFamily("yandex_api_key", r"AQVN", rf"\bAQVN[{_URLSAFE}]{{35,38}}\b", 0.95, "Yandex Cloud: API keys", check="random_tail"),
    TokenFamily("yandex_oauth", r"y[0-3]_", rf"\by[0-3]_[{_URLSAFE}]{{55,199}}", 0.95, "Yandex ID: OAuth tokens (y0_ to y3_)", check="random_tail"),
    # Payment -----------------------------------------------------------------------------------
    TokenFamily("stripe_key", r"[spr]k_(?:live|test)_", rf"\b[spr]k_(?:live|test)_[{_B62}]{{16,}}", 0.99, "Stripe: API keys (secret, restricted, publishable)"),
    TokenFamily("stripe_webhook_secret", r"whsec_", r"\bwhsec_[A-Za-z0-9+/=]{16,}", 0.99, "Stripe: webhook signing secrets"),
    TokenFamily("stripe_client_secret", r"_secret_", rf"\b(?:pi|seti)_[{_B62}]{{14,}}_secret_[{_B62}]{{16,}}", 0.95, "Stripe: PaymentIntent/SetupIntent client_secret"),
    TokenFamily("square", r"sq0(?:atp|csp)-", rf"\bsq0(?:atp|csp)-[{_URLSAFE}]{{22,43}}", 0.99, "Square: OAuth tokens"),
    TokenFamily("meta_app_access_token", r"\d{15}\|", r"\b\d{15,16}\|[A-Za-z0-9_\-]{27,40}\b", 0.9, "Meta Graph API: app access token, app id|app secret", check="app_secret"),
    TokenFamily("meta_or_square_access_token", r"EAA", rf"\bEAA[{_URLSAFE}]{{60,}}", 0.9, "Meta Graph API and Square access tokens (EAA/EAAA)"),
    TokenFamily("braintree", r"access_token\$", r"\baccess_token\$(?:production|sandbox)\$[0-9a-z]{16}\$[0-9a-f]{32}", 0.99, "Braintree / PayPal: access tokens"),
    TokenFamily("adyen", r"AQE", r"\bAQE[A-Za-z0-9]{3}[A-Za-z0-9+/=._\-]{60,}", 0.85, "Adyen: API keys"),
    TokenFamily("flutterwave", r"FLWSECK", r"\bFLWSECK(?:_TEST)?-[a-zA-Z0-9]{32}-X", 0.99, "Flutterwave: secret keys"),
    TokenFamily("plaid_access_token", r"access-(?:sandbox|development|production)-", r"\baccess-(?:sandbox|development|production)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", 0.95, "Plaid: access tokens"),
    TokenFamily("shippo", r"shippo_", r"\bshippo_(?:live|test)_[a-f0-9]{40}\b", 0.99, "Shippo: API tokens"),
    TokenFamily("easypost", r"EZ[AT]K", r"\bEZ[AT]K[a-zA-Z0-9]{54}\b", 0.95, "EasyPost: API keys"),
    # Source hosting ----------------------------------------------------------------------------
    TokenFamily("github", r"gh[pousr]_|github_pat_", rf"\bgh[pousr]_[{_B62}]{{36,}}|\bgithub_pat_[{_B62}_]{{22,}}", 0.99, "GitHub: authentication token formats"),
    TokenFamily("gitlab", r"gl[a-z]{1,6}-|GR1348941", rf"\bgl(?:pat|dt|ft|soat|rt|cbt|imt|ptt|oas|agent|ffct|wt)-[{_URLSAFE}]{{20,}}|\bGR1348941[{_URLSAFE}]{{20,}}", 0.99, "GitLab: token prefixes"),
    TokenFamily("atlassian", r"AT(?:ATT|CTT|BB)", rf"\bAT(?:ATT|CTT)3[{_URLSAFE}=]{{100,}}|\bATBB[{_B62}]{{24,}}", 0.99, "Atlassian API tokens, Bitbucket app passwords"),
    # Chat and messaging ------------------------------------------------------------------------
    TokenFamily("slack_token", r"xox[abposre]|xapp-", r"\bxox(?:[abposr]|e(?:\.xox[bp])?)-[A-Za-z0-9\-]{10,}|\bxapp-\d-[A-Za-z0-9\-]{10,}", 0.99, "Slack: token types"),
    TokenFamily("slack_webhook", r"hooks\.slack\.com/", r"hooks\.slack\.com/(?:services|workflows|triggers)/([A-Za-z0-9_/+\-]{20,})", 0.95, "Slack: incoming webhooks", "SECRET"),
    TokenFamily("discord_webhook", r"discord(?:app)?\.com/api/webhooks/", rf"discord(?:app)?\.com/api/webhooks/([0-9]{{17,20}}/[{_URLSAFE}]{{60,70}})", 0.95, "Discord: webhook URLs", "SECRET"),
    TokenFamily("discord_bot_token", r"(?:^|[^A-Za-z0-9_])[MNO][A-Za-z0-9_\-]{23,27}\.", rf"\b[MNO][{_URLSAFE}]{{23,27}}\.[{_URLSAFE}]{{6}}\.[{_URLSAFE}]{{27,38}}\b", 0.95, "Discord: bot tokens (base64 user id . time . hmac)", check="discord", doubted=0.75),
    TokenFamily("telegram_bot_token", r"[0-9]:AA", rf"([0-9]{{6,12}}:AA[{_URLSAFE}]{{33}})(?:[^A-Za-z0-9_\-]|$)", 0.95, "Telegram Bot API: bot tokens"),
    TokenFamily("teams_webhook", r"webhook\.office\.com/|outlook\.office(?:365)?\.com/webhook", r"(?:webhook\.office\.com/webhookb2|outlook\.office(?:365)?\.com/webhook)/([A-Za-z0-9@/\-]{60,})", 0.95, "Microsoft Teams: incoming webhooks", "SECRET"),
    TokenFamily("zapier_webhook", r"hooks\.zapier\.com/hooks/catch/", r"hooks\.zapier\.com/hooks/catch/([0-9]+/[A-Za-z0-9]+)", 0.9, "Zapier: catch hooks", "SECRET"),
    TokenFamily("sendgrid", r"SG\.", rf"\bSG\.[{_URLSAFE}]{{16,}}\.[{_URLSAFE}]{{16,}}", 0.99, "Twilio SendGrid: API keys"),
    TokenFamily("mailgun", r"key-[0-9a-f]|-[0-9a-f]{8}-[0-9a-f]{8}", r"\bkey-[0-9a-f]{32}\b|\b[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}\b", 0.9, "Mailgun: private API keys"),
    TokenFamily("mailchimp", r"[0-9a-f]-us[0-9]", r"\b[0-9a-f]{32}-us[0-9]{1,2}\b", 0.95, "Mailchimp: API keys (with datacenter)"),
    TokenFamily("brevo", r"xkeysib-|xsmtpsib-", r"\bx(?:key|smtp)sib-[a-f0-9]{64}-[A-Za-z0-9]{16}\b", 0.99, "Brevo (Sendinblue): API keys"),
    # CI, package registries --------------------------------------------------------------------
    TokenFamily("npm", r"npm_", rf"\bnpm_[{_B62}]{{36}}\b", 0.99, "npm: access tokens"),
    TokenFamily("pypi", r"pypi-AgE", rf"\bpypi-AgE[{_URLSAFE}]{{50,}}", 0.99, "PyPI: API tokens (macaroons)"),
    TokenFamily("docker_hub", r"dckr_(?:pat|oat)_", rf"\bdckr_(?:pat|oat)_[{_URLSAFE}]{{20,}}", 0.99, "Docker Hub: access tokens"),
    TokenFamily("rubygems", r"rubygems_", r"\brubygems_[a-f0-9]{48}\b", 0.99, "RubyGems.org: API keys"),
    TokenFamily("nuget", r"oy2", r"\boy2[a-z0-9]{43}\b", 0.9, "NuGet.org: API keys"),
    TokenFamily("circleci", r"CCIPAT_", rf"\bCCIPAT_[{_B62}]{{20,}}_[a-f0-9]{{40}}\b", 0.99, "CircleCI: personal API tokens"),
    TokenFamily("buildkite", r"bkua_", r"\bbkua_[a-f0-9]{40}\b", 0.99, "Buildkite: API access tokens"),
    TokenFamily("sonarqube", r"sq[upa]_", r"\bsq[upa]_[A-Za-z0-9]{40}\b", 0.95, "SonarQube: user, project and global analysis tokens"),
    TokenFamily("jfrog", r"AKCp|cmVmdGtuOjAxOj", rf"\bAKCp[{_B62}]{{60,}}|\bcmVmdGtuOjAxOj[{_B62}]{{40,}}", 0.9, "JFrog: API keys and identity tokens"),
    # Observability -----------------------------------------------------------------------------
    TokenFamily("new_relic", r"NR(?:AK|AA|II|IQ|JS)-|NRAL", r"\bNR(?:AK|AA)-[A-Z0-9]{27}\b|\bNRI[IQ]-[A-Za-z0-9_\-]{32}|\bNRJS-[a-f0-9]{19}\b|\b[a-f0-9]{36}NRAL\b", 0.99, "New Relic: API key formats"),
    TokenFamily("sentry_token", r"sntry[su]_", r"\bsntrys_[A-Za-z0-9+/=_]{50,}|\bsntryu_[a-f0-9]{64}\b", 0.99, "Sentry: auth tokens"),
    TokenFamily("sentry_dsn", r"sentry\.io/", r"https?://([a-f0-9]{32})(?::[a-f0-9]{32})?@[a-z0-9.\-]*sentry\.io/", 0.8, "Sentry: DSN key"),
    TokenFamily("grafana", r"gl(?:c|sa)_|eyJrIjoi", rf"\bglc_[A-Za-z0-9+/=_]{{32,}}|\bglsa_[{_B62}]{{32}}_[A-Fa-f0-9]{{8}}\b|\beyJrIjoi[A-Za-z0-9+/=]{{30,}}", 0.99, "Grafana: Cloud, service account and legacy API keys"),
    TokenFamily("dynatrace", r"dt0c01\.", r"\bdt0c01\.[A-Z0-9]{24}\.[A-Z0-9]{64}\b", 0.99, "Dynatrace: access tokens"),
    # Secret managers ---------------------------------------------------------------------------
    TokenFamily("vault", r"hv[sbr]\.", rf"\bhv[sbr]\.[{_URLSAFE}]{{24,}}", 0.99, "HashiCorp Vault: token prefixes"),
    TokenFamily("vault_legacy", r"s\.[A-Za-z0-9]{24}", rf"(?:^|[^A-Za-z0-9.])(s\.[{_B62}]{{24}})(?:[^A-Za-z0-9.]|$)", 0.75, "HashiCorp Vault: service tokens before 1.10", check="mixed"),
    TokenFamily("doppler", r"dp\.(?:pt|st|sa|ct|scim|audit)\.", rf"\bdp\.(?:pt|st|sa|ct|scim|audit)\.[{_B62}]{{40,44}}\b", 0.99, "Doppler: token formats"),
    TokenFamily("onepassword_service_account", r"ops_eyJ", r"\bops_eyJ[A-Za-z0-9+/=_\-]{100,}", 0.99, "1Password: service account tokens"),
    TokenFamily("age_secret_key", r"AGE-SECRET-KEY-1", r"\bAGE-SECRET-KEY-1[0-9A-Z]{58}\b", 0.99, "age: X25519 identities", "PRIVATE_KEY"),
    # AI providers ------------------------------------------------------------------------------
    TokenFamily("openai", r"T3BlbkFJ", rf"\bsk-(?:proj-|svcacct-|admin-)?[{_URLSAFE}]{{16,}}T3BlbkFJ[{_URLSAFE}]{{16,}}", 0.99, "OpenAI: API keys (marker T3BlbkFJ)"),
    TokenFamily("anthropic", r"sk-ant-", rf"\bsk-ant-[a-z0-9]{{2,10}}-[{_URLSAFE}]{{32,}}", 0.99, "Anthropic: API keys"),
    TokenFamily("sk_dash_key", r"sk-", rf"\bsk-[{_URLSAFE}]{{29,}}", 0.95, "OpenAI-compatible providers: sk- keys", check="letters_digits"),
    TokenFamily("huggingface", r"hf_|api_org_", rf"\bhf_[{_B62}]{{30,}}|\bapi_org_[{_B62}]{{30,}}", 0.95, "Hugging Face: user access tokens", check="mixed_case"),
    TokenFamily("replicate", r"r8_", rf"\br8_[{_B62}]{{37}}\b", 0.99, "Replicate: API tokens"),
    TokenFamily("groq", r"gsk_", rf"\bgsk_[{_B62}]{{52}}\b", 0.99, "Groq: API keys"),
    TokenFamily("xai", r"xai-", rf"\bxai-[{_B62}]{{70,}}", 0.99, "xAI: API keys"),
    TokenFamily("perplexity", r"pplx-", rf"\bpplx-[{_B62}]{{40,}}", 0.99, "Perplexity: API keys"),
    TokenFamily("langsmith", r"lsv2_", r"\blsv2_(?:pt|sk)_[a-f0-9]{32}_[a-f0-9]{10}\b", 0.99, "LangSmith: API keys"),
    TokenFamily("pinecone", r"pcsk_", rf"\bpcsk_[{_B62}_]{{40,}}", 0.99, "Pinecone: API keys"),
    TokenFamily("elevenlabs", r"sk_[a-f0-9]{8}", r"\bsk_[a-f0-9]{48}\b", 0.9, "ElevenLabs: API keys"),
    # Other SaaS --------------------------------------------------------------------------------
    TokenFamily("shopify", r"shp(?:at|ca|pa|ss)_", r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b", 0.99, "Shopify: access tokens"),
    TokenFamily("linear", r"lin_(?:api|oauth)_", rf"\blin_api_[{_B62}]{{40}}\b|\blin_oauth_[a-f0-9]{{64}}\b", 0.99, "Linear: API keys"),
    TokenFamily("notion", r"secret_|ntn_", rf"\bsecret_[{_B62}]{{43}}\b|\bntn_[{_B62}]{{40,50}}\b", 0.95, "Notion: integration secrets"),
    TokenFamily("postman", r"PMAK-", r"\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b", 0.99, "Postman: API keys"),
    TokenFamily("okta", r"SSWS|(?i:okta)", rf"\bSSWS[ \t]+(00[{_URLSAFE}]{{40}})\b|(?i:okta)[A-Za-z_\-]{{0,20}}[\s\"':=]{{1,5}}(00[{_URLSAFE}]{{40}})\b", 0.95, "Okta: API tokens (SSWS scheme)"),
    TokenFamily("databricks", r"dapi|dose", r"\bd(?:api|ose)[a-f0-9]{32}(?:-[0-9])?\b", 0.95, "Databricks: personal access tokens"),
    TokenFamily("airtable", r"pat[A-Za-z0-9]{14}\.", r"\bpat[A-Za-z0-9]{14}\.[a-f0-9]{64}\b", 0.99, "Airtable: personal access tokens"),
    TokenFamily("figma", r"figd_", rf"\bfigd_[{_URLSAFE}]{{40,}}", 0.99, "Figma: personal access tokens"),
    TokenFamily("contentful", r"CFPAT-", rf"\bCFPAT-[{_URLSAFE}]{{43}}", 0.99, "Contentful: personal access tokens"),
    TokenFamily("typeform", r"tfp_", rf"\btfp_[{_URLSAFE}]{{40,}}", 0.99, "Typeform: personal tokens"),
    TokenFamily("dropbox", r"sl\.[A-Za-z0-9_\-]{20}", rf"\bsl\.[{_URLSAFE}]{{130,}}", 0.9, "Dropbox: short-lived access tokens"),
    TokenFamily("mapbox_secret", r"sk\.eyJ", rf"\bsk\.eyJ[{_URLSAFE}]{{40,}}\.[{_URLSAFE}]{{20,}}", 0.99, "Mapbox: secret tokens"),
    TokenFamily("twitter_bearer", r"AAAAAAAAAAAAAAAAAAAA", r"\bAAAAAAAAAAAAAAAAAAAA[A-Za-z0-9%]{30,}", 0.95, "X (Twitter): app bearer tokens", check="mixed"),
    # Secrets in command lines and connection strings -----------------------------------------
    TokenFamily("cli_user_password", r"(?:-u|--user|--proxy-user)[ \t=]", r"(?:^|\s)(?:-u|--user|--proxy-user)(?:[ \t]+|=)['\"]?[^\s:'\"]*:([^\s'\"]+)", 0.9, "curl(1): -u/--user user:password", "PASSWORD"),
    TokenFamily("login_password_flag", r"(?i)login", r"(?i)\blogin\b[^\n]{0,200}?\s(?:-p|--password)(?:[ \t]+|=)['\"]?([^\s'\"-][^\s'\"]*)", 0.9, "docker/podman/helm login -p, --password", "PASSWORD"),
    TokenFamily("mysql_password_flag", r"mysql", r"\bmysql(?:dump|admin)?\b[^\n]{0,200}?\s-p([^\s'\"-][^\s'\"]*)", 0.9, "mysql(1): -p<password>, attached", "PASSWORD"),
    TokenFamily("authorization_line", r"(?i)authorization[ \t]*:", r"(?i)\b(?:proxy-)?authorization[ \t]*:[ \t]*((?:[A-Za-z][A-Za-z0-9_\-]*[ \t]+)?[A-Za-z0-9\-._~+/]{8,}=*)", 0.9, "RFC 9110 Authorization header written into text", "SECRET", check="token_tail"),
)
# fmt: on


def _mixed(token: str) -> bool:
    """Upper and lower case letters and digits: a random token, not a word or a domain."""
    return (
        any(c.isupper() for c in token)
        and any(c.islower() for c in token)
        and any(c.isdigit() for c in token)
    )


def _mixed_case(token: str) -> bool:
    return any(c.isupper() for c in token) and any(c.islower() for c in token)


def _letters_digits(token: str) -> bool:
    body = token[3:]
    return any(c.isdigit() for c in body) and any(c.isalpha() for c in body)


def _random_tail(token: str) -> bool:
    """After a short prefix, random letters of both cases and digits, not words glued together
    (`y1_QuarterlyReport_Final_2024Q3`, `AQVNet-Ltd-Company-Registration-Number-0042`)."""
    tail = token[4:]
    return _mixed(tail) and not wordy(tail, share=0.4)


def _app_secret(token: str) -> bool:
    """The secret after an app id's `|` has letters and digits (not a word or a slug)."""
    secret = token.rpartition("|")[2]
    return any(c.isdigit() for c in secret) and any(c.isalpha() for c in secret)


def _discord(token: str) -> bool:
    """A Discord bot token's first part is the bot's user id (a snowflake) in base64."""
    first = token.split(".", 1)[0]
    try:
        decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4))
    except (binascii.Error, ValueError):
        return False
    return 17 <= len(decoded) <= 20 and decoded.isdigit()


def _token_tail(value: str) -> bool:
    """`Bearer abc123def`, `SSWS 00...`, not `required for`: the credential part is no word."""
    tail = value.rsplit(None, 1)[-1]
    return any(not c.isalpha() for c in tail) or _mixed_case(tail[1:])


CHECKS: dict[str, Callable[[str], bool]] = {
    "app_secret": _app_secret,
    "mixed": _mixed,
    "mixed_case": _mixed_case,
    "letters_digits": _letters_digits,
    "discord": _discord,
    "token_tail": _token_tail,
    "random_tail": _random_tail,
}
