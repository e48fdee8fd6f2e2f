"""Where `bench_structured_ids` puts each value: key spellings and nesting of public API
descriptions (Stripe, Twilio, SendGrid, Adyen, Xero, Intercom, DocuSign: MIT; Box, PayPal,
Square: Apache-2.0; property names only, read from their mirrors), and spellings other APIs'
documentation and ordinary forms use (`docs:` and `common`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

V = "$V"  # where a shape puts the value
CC, AREA, LOCAL, NSN, EXT = "$CC", "$AREA", "$LOCAL", "$NSN", "$EXT"  # a split phone's parts
TYPE = "$TYPE"  # an identifier's type where its record names it


@dataclass(frozen=True)
class Shape:
    """`where`: json (a request's JSON body), form, query, or event (a JSON record of its
    own, as a webhook's payload is logged); `template`: the body with `$V` where the value
    goes (a dict for json/event, a list of pairs for form/query); `source`: whose spelling."""

    name: str
    where: str
    template: Any
    source: str


def _j(source: str, template: Any, name: str = "") -> Shape:
    return Shape(name or "json:" + _spell(template), "json", template, source)


def _e(source: str, template: Any, name: str = "") -> Shape:
    return Shape(name or "event:" + _spell(template), "event", template, source)


def _f(source: str, *pairs: tuple[str, str]) -> Shape:
    return Shape("form:" + "&".join(k for k, _ in pairs), "form", list(pairs), source)


def _q(source: str, *pairs: tuple[str, str]) -> Shape:
    return Shape("query:" + "&".join(k for k, _ in pairs), "query", list(pairs), source)


def _spell(node: Any, prefix: str = "") -> str:
    """A template's paths to its value slots, for a shape's name."""
    if isinstance(node, dict):
        return ",".join(
            s for k, v in node.items() if (s := _spell(v, f"{prefix}.{k}" if prefix else k))
        )
    if isinstance(node, list):
        return ",".join(s for i, v in enumerate(node) if (s := _spell(v, f"{prefix}[{i}]")))
    if isinstance(node, str) and node.startswith("$"):
        return prefix
    return ""


# fmt: off
PHONE_SHAPES = (
    _j("stripe", {"phone": V}),
    _j("stripe", {"billing_details": {"name": "Customer", "phone": V}}),
    _j("stripe", {"shipping": {"phone": V, "carrier": "UPS"}}),
    _j("stripe", {"customer_details": {"phone": V, "tax_exempt": "none"}}),
    _j("square", {"phone_number": V}),
    _j("square", {"customer": {"phone_number": V, "nickname": "regular"}}),
    _j("square", {"recipient": {"phone_number": V}}),
    _j("adyen", {"telephoneNumber": V, "countryCode": "NL"}),
    _j("adyen", {"shopperTelephone": V}),
    _j("adyen", {"mobilePhone": {"cc": CC, "subscriber": NSN}}, "json:mobilePhone.cc+subscriber"),
    _j("adyen", {"deliveryContact": {"phoneNumber": V}}),
    _j("adyen", {"individual": {"phone": {"number": V, "type": "mobile"}}}),
    _j("adyen", {"phone": {"number": V, "type": "landline"}}),
    _j(
        "adyen",
        {"phoneNumber": {"phoneCountryCode": "GB", "phoneNumber": V, "phoneType": "Mobile"}},
    ),
    _j("adyen", {"additionalData": {"shopperTelephone": V}}),
    _j("xero", {"Phones": [{"PhoneType": "MOBILE", "PhoneNumber": V}]}),
    _j(
        "xero",
        {
            "Phones": [
                {
                    "PhoneType": "DEFAULT",
                    "PhoneNumber": LOCAL,
                    "PhoneAreaCode": AREA,
                    "PhoneCountryCode": CC,
                },
            ],
        },
        "json:Phones[].PhoneCountryCode+PhoneAreaCode+PhoneNumber",
    ),
    _j("xero", {"Employee": {"Phone": V, "Mobile": "", "Email": ""}}),
    _j(
        "paypal",
        {"payer": {"phone": {"phone_type": "MOBILE", "phone_number": {"national_number": NSN}}}},
    ),
    _j(
        "paypal",
        {"phone": {"country_code": CC, "national_number": NSN}},
        "json:phone.country_code+national_number",
    ),
    _j("paypal", {"payer_info": {"phone_number": V}}),
    _j(
        "docusign",
        {"recipientIdentityPhoneNumber": {"countryCode": CC, "number": NSN, "extension": ""}},
        "json:recipientIdentityPhoneNumber.countryCode+number",
    ),
    _j("docusign", {"addressInformation": {"phone": V, "fax": ""}}),
    _j("docusign", {"addressInformation": {"fax": V}}),
    _j("intercom", {"role": "user", "phone": V}),
    _j("box", {"phone": V, "job_title": "Engineer"}),
    _j("sendgrid", {"contacts": [{"phone_number": V}]}),
    _j("twilio", {"To": V, "From": "+15005550006", "Body": "Your code is ready"}),
    _j("twilio", {"phone_number": V, "friendly_name": "Main line"}),
    _j("twilio", {"MSISDN": V}),
    _j("scim", {"phoneNumbers": [{"type": "mobile", "value": V}]}),
    _j("scim", {"phones": [{"type": "work", "value": V, "primary": True}]}),
    _j("cognito", {"UserAttributes": [{"Name": "phone_number", "Value": V}]}),
    _j("misc", {"phone_numbers": [V]}),
    _j("misc", {"contactPhoneNumbers": [V]}),
    _j("misc", {"homePhone": V}),
    _j("misc", {"faxNumber": V}),
    _j("misc", {"primary_mobile": V}),
    _j("misc", {"buyer_phone_number": V}),
    _j("misc", {"recipient_phone_number": V}),
    _j("misc", {"shipping_phone_number": V}),
    _j("misc", {"business_contact_phone": V}),
    _j("misc", {"merchantContactPhone": V}),
    _j("misc", {"contact": {"mobile": V}}),
    _j("misc", {"customer": {"cell": V}}),
    _j("misc", {"user": {"tel": V}}),
    _j("misc", {"custom_fields": [{"name": "Mobile", "value": V}]}),
    _j("misc", {"fields": [{"field": "phone", "old_value": "", "new_value": V}]}),
    _e(
        "twilio",
        {"MessageSid": "SM0123456789abcdef0123456789abcdef", "From": V, "To": "+15005550006"},
    ),
    _e("stripe", {"type": "customer.updated", "data": {"object": {"phone": V}}}),
    _e("adyen", {"notificationItems": [{"additionalData": {"shopperTelephone": V}}]}),
    _f("stripe", ("phone", V)),
    _f("stripe", ("customer[phone]", V)),
    _f("stripe", ("billing_details[phone]", V)),
    _f("stripe", ("shipping[phone]", V)),
    _f("twilio", ("To", V), ("From", "+15005550006"), ("Body", "hello")),
    _f("twilio", ("PhoneNumber", V)),
    _f("misc", ("mobile_number", V)),
    _f("misc", ("contact[phone_number]", V)),
    _q("twilio", ("PhoneNumber", V)),
    _q("misc", ("phone", V)),
    _q("misc", ("phone_number", V)),
    _q("misc", ("to", V)),
    _q("misc", ("msisdn", V)),
    _q("misc", ("mobile", V), ("page", "1")),
    _j("docs:aws-sns", {"PhoneNumber": V, "Message": "Your code"}),
    _j("docs:aws-pinpoint", {"Addresses": {V: {"ChannelType": "SMS"}}}, "json:Addresses.<key>"),
    _j("docs:aws-pinpoint", {"Endpoint": {"ChannelType": "SMS", "Address": V}}),
    _j("docs:twilio-verify", {"channel": "sms", "to": V}),
    _j("docs:messagebird", {"recipients": [V], "originator": "Acme"}),
    _j("docs:vonage", {"to": {"type": "sms", "number": V}}),
    _j("docs:hubspot", {"properties": {"phone": V, "mobilephone": ""}}),
    _j("docs:hubspot", {"properties": {"mobilephone": V}}),
    _j("docs:salesforce", {"MobilePhone": V, "LeadSource": "Web"}),
    _j("docs:salesforce", {"Phone": V}),
    _j("docs:zendesk", {"user": {"phone": V, "shared_phone_number": False}}),
    _j(
        "docs:shopify",
        {"customer": {"phone": V}, "sms_marketing_consent": {"state": "subscribed"}},
    ),
    _j("docs:shopify", {"shipping_address": {"phone": V, "city": "Ottawa"}}),
    _j("docs:woocommerce", {"billing": {"phone": V, "postcode": "94103"}}),
    _j("common", {"contact": {"type": "phone", "value": V}}),
    _j("common", {"contactMethods": [{"method": "SMS", "address": V}]}),
    _j(
        "common",
        {"phone": {"countryCode": CC, "areaCode": AREA, "number": LOCAL}},
        "json:phone.countryCode+areaCode+number",
    ),
    _j("common", {"phone": {"prefix": "+$CC", "number": NSN}}, "json:phone.prefix+number"),
    _j("common", {"mobile": {"dial_code": CC, "number": NSN}}, "json:mobile.dial_code+number"),
    _j("common", {"phoneNo": V}),
    _j("common", {"mobile_no": V}),
    _j("common", {"MobileNumber": V}),
    _j("common", {"cellphone": V}),
    _j("common", {"cell_phone": V}),
    _j("common", {"tel_no": V}),
    _j("common", {"TelephoneNumber": V}),
    _j("common", {"phone_num": V}),
    _j("common", {"phone1": V}),
    _j("common", {"alt_phone": V}),
    _j("common", {"whatsapp_number": V}),
    _j("common", {"emergency_contact": {"name": "Kin", "phone": V}}),
    _j("common", {"callback_number": V}),
    _j("common", {"caller_id": V}),
    _j("common", {"ani": V, "dnis": "18005550100"}),
    _j("common", {"from_number": V}),
    _j("common", {"destination_number": V}),
    _j("common", {"identity": {"type": "phone", "value": V}}),
    _j("common", {"attributes": [{"key": "phone", "value": V}]}),
    _f("docs:aws-sns", ("Action", "Publish"), ("PhoneNumber", V)),
    _f("common", ("tel", V)),
    _f("common", ("phone_number", V), ("country", "GB")),
    _f("common", ("user[phone]", V)),
    _f("common", ("phones[]", V)),
    _q("common", ("phoneNumber", V)),
    _q("common", ("tel", V)),
    _q("common", ("from", V)),
)
CARD_SHAPES = (
    _j("adyen", {"paymentMethod": {"type": "scheme", "number": V, "expiryMonth": "03"}}),
    _j("adyen", {"card": {"number": V, "holderName": "Card Holder", "cvc": "737"}}),
    _j("adyen", {"cardNumber": V}),
    _j("adyen", {"cardDetails": {"cardNumber": V}}),
    _j("paypal", {"payment_source": {"card": {"number": V, "expiry": "2030-03"}}}),
    _j("paypal", {"credit_card": {"number": V, "type": "visa"}}),
    _j("docusign", {"creditCardInformation": {"cardNumber": V, "cardType": "visa"}}),
    _j("stripe", {"card": {"number": V, "exp_month": 12, "exp_year": 2030}}),
    _j("stripe", {"payment_method_data": {"type": "card", "card": {"number": V}}}),
    _j("misc", {"card_number": V}),
    _j("misc", {"CardNumber": V}),
    _j("misc", {"pan": V}),
    _j("misc", {"PAN": V}),
    _j("misc", {"cc": V}),
    _j("misc", {"ccnum": V}),
    _j("misc", {"cc_number": V}),
    _j("misc", {"credit_card_number": V}),
    _j("misc", {"creditCardNumber": V}),
    _j("misc", {"primary_account_number": V}),
    _j("misc", {"payment": {"card": {"pan": V}}}),
    _j("misc", {"source": {"object": "card", "number": V}}),
    _j("misc", {"fields": [{"name": "card_number", "value": V}]}),
    _e("misc", {"event": "payment.failed", "card": {"number": V}}),
    _f("stripe", ("card[number]", V), ("card[exp_month]", "12")),
    _f("stripe", ("payment_method_data[card][number]", V)),
    _f("stripe", ("source[number]", V)),
    _f("misc", ("cc", V)),
    _f("misc", ("pan", V)),
    _f("misc", ("card_number", V)),
    _f("misc", ("cardNumber", V)),
    _q("misc", ("card", V)),
    _q("misc", ("pan", V)),
    _q("misc", ("card_number", V)),
    _j("docs:checkout.com", {"source": {"type": "card", "number": V, "expiry_month": 6}}),
    _j(
        "docs:cybersource",
        {"paymentInformation": {"card": {"number": V, "expirationMonth": "12"}}},
    ),
    _j(
        "docs:authorize.net",
        {"payment": {"creditCard": {"cardNumber": V, "expirationDate": "2030-12"}}},
    ),
    _j("docs:braintree", {"creditCard": {"number": V, "cardholderName": "Card Holder"}}),
    _j("docs:worldpay", {"paymentInstrument": {"type": "card/plain", "cardNumber": V}}),
    _j("common", {"payment_method": {"type": "card", "card": {"number": V}}}),
    _j("common", {"paymentCard": {"number": V}}),
    _j("common", {"card_no": V}),
    _j("common", {"cardNo": V}),
    _j("common", {"card_num": V}),
    _j("common", {"CCNumber": V}),
    _j("common", {"ccn": V}),
    _j("common", {"PrimaryAccountNumber": V}),
    _j("common", {"card_data": {"pan": V}}),
    _j("common", {"instrument": {"type": "card", "value": V}}),
    _f("docs:authorize.net", ("x_card_num", V), ("x_exp_date", "1230")),
    _f("docs:nmi", ("ccnumber", V), ("ccexp", "1230")),
    _f("docs:elavon", ("ssl_card_number", V)),
    _f("common", ("credit_card[number]", V)),
    _f("common", ("card[cc_number]", V)),
    _f("common", ("cc_num", V)),
    _q("common", ("cc", V)),
)
IBAN_SHAPES = (
    _j("adyen", {"bankAccount": {"iban": V, "ownerName": "Account Owner"}}),
    _j("adyen", {"accountIdentification": {"type": "iban", "iban": V}}),
    _j("adyen", {"additionalData": {"iDealConsumerIBAN": V}}),
    _j("adyen", {"paymentMethod": {"type": "sepadirectdebit", "iban": V}}),
    _j("adyen", {"IBAN": V}),
    _j("berlin-group", {"debtorAccount": {"iban": V, "currency": "EUR"}}),
    _j("berlin-group", {"creditorAccount": {"iban": V}}),
    _j("misc", {"iban": V}),
    _j("misc", {"ibanNumber": V}),
    _j("misc", {"payout": {"iban": V}}),
    _j("misc", {"bank_account": {"iban": V}}),
    _j("misc", {"account": {"iban": V, "bic": "DEUTDEFF"}}),
    _j("misc", {"beneficiary": {"account_number": V}}),
    _e("misc", {"event": "mandate.created", "mandate": {"iban": V}}),
    _f("stripe", ("sepa_debit[iban]", V)),
    _f("stripe", ("payment_method_data[sepa_debit][iban]", V)),
    _f("misc", ("iban", V)),
    _f("misc", ("bank_account[iban]", V)),
    _q("misc", ("iban", V)),
    _j(
        "docs:open-banking-uk",
        {"DebtorAccount": {"SchemeName": "UK.OBIE.IBAN", "Identification": V}},
    ),
    _j(
        "docs:open-banking-uk",
        {"CreditorAccount": {"SchemeName": "UK.OBIE.IBAN", "Identification": V, "Name": "Payee"}},
    ),
    _j("docs:plaid", {"numbers": {"international": [{"iban": V, "bic": "NWBKGB21"}]}}),
    _j("docs:wise", {"details": {"IBAN": V, "legalType": "PRIVATE"}}),
    _j(
        "docs:modern-treasury",
        {"account_details": [{"account_number": V, "account_number_type": "iban"}]},
    ),
    _j("docs:gocardless", {"bank_accounts": {"iban": V, "account_holder_name": "Holder"}}),
    _j("common", {"iban_number": V}),
    _j("common", {"ibanCode": V}),
    _j("common", {"bankIban": V}),
    _j("common", {"payee": {"bank": {"iban": V}}}),
    _j("common", {"account": {"type": "iban", "value": V}}),
    _f("common", ("iban_code", V)),
    _f("common", ("payout[iban]", V)),
)
BANK_SHAPES = (
    _j("stripe", {"bank_account": {"account_number": V, "routing_number": "110000000"}}),
    _j("stripe", {"external_account": {"object": "bank_account", "account_number": V}}),
    _j("adyen", {"accountIdentification": {"type": "usLocal", "accountNumber": V}}),
    _j("adyen", {"bankAccount": {"accountNumber": V}}),
    _j("xero", {"BankAccountDetails": V}),
    _j("xero", {"BankAccount": {"AccountNumber": V, "BSB": "062000"}}),
    _j("paypal", {"bank": {"account_number": V, "account_type": "CHECKING"}}),
    _j("square", {"ach_details": {"account_number_suffix": "", "account_number": V}}),
    _j("misc", {"bankAccountNumber": V}),
    _j("misc", {"BankAccountNumber": V}),
    _j("misc", {"payoutAccountNumber": V}),
    _f("stripe", ("bank_account[account_number]", V), ("bank_account[country]", "US")),
    _f("stripe", ("external_account[account_number]", V)),
    _f("misc", ("account_number", V)),
    _q("misc", ("account_number", V)),
    _j("docs:plaid", {"numbers": {"ach": [{"account": V, "routing": "011401533"}]}}),
    _j(
        "docs:modern-treasury",
        {"account_details": [{"account_number": V, "account_number_type": "other"}]},
    ),
    _j(
        "docs:open-banking-uk",
        {"DebtorAccount": {"SchemeName": "UK.OBIE.SortCodeAccountNumber", "Identification": V}},
    ),
    _j("docs:wise", {"details": {"accountNumber": V, "sortCode": "040075"}}),
    _j("common", {"bank_account_number": V}),
    _j("common", {"acct_no": V}),
    _j("common", {"AccountNo": V}),
    _j("common", {"bank": {"account": {"number": V}}}),
    _f("docs:stripe", ("us_bank_account[account_number]", V)),
    _f("common", ("acct_number", V)),
)
ROUTING_SHAPES = (
    _j("stripe", {"bank_account": {"routing_number": V}}),
    _j("adyen", {"accountIdentification": {"type": "usLocal", "routingNumber": V}}),
    _j("square", {"ach_details": {"routing_number": V}}),
    _j("misc", {"aba": V}),
    _j("misc", {"abaRoutingNumber": V}),
    _f("stripe", ("bank_account[routing_number]", V)),
    _f("misc", ("routing_number", V)),
    _q("misc", ("routingNumber", V)),
    _j("docs:plaid", {"numbers": {"ach": [{"routing": V, "account": ""}]}}),
    _j(
        "docs:modern-treasury",
        {"routing_details": [{"routing_number": V, "routing_number_type": "aba"}]},
    ),
    _j("common", {"bank": {"aba_number": V}}),
    _j("common", {"RoutingNo": V}),
    _f("common", ("routing", V)),
)
# fmt: on
