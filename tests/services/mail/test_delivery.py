"""Delivery: addresses are made fit for SMTP (IDNA domains) or refused for good with a French reason."""


def test_ascii_address_encodes_an_accented_domain_and_refuses_an_accented_local_part():
    from app.services.mail.delivery import ascii_address

    assert ascii_address("contact@bâtiments.example.fr") == "contact@xn--btiments-iza.example.fr"
    assert ascii_address(" a.b@exemple.fr ") == "a.b@exemple.fr"
    assert ascii_address("chloé@exemple.fr") is None
    assert ascii_address("sans-arobase") is None
