"""The organisation's reference data, created by the data migration."""

from committees.models import Administration, Committee

from ..factories import committee


def test_reference_data_is_created_by_the_migration(db):
    assert list(
        Committee.objects.filter(parent__isnull=True).values_list("code", "name")
    ) == [
        ("ØU", "Økonomiudvalget"),
        ("KFU", "Kultur- og Fritidsudvalget"),
        ("BUU", "Børne- og Ungdomsudvalget"),
        ("SUD", "Sundheds- og Omsorgsudvalget"),
        ("SOU", "Socialudvalget"),
        ("TMU", "Teknik- og Miljøudvalget"),
        ("BIU", "Beskæftigelses- og Integrationsudvalget"),
    ]
    assert list(committee("ØU").units.values_list("name", flat=True)) == [
        "Koncernservice", "Koncern IT", "Københavns Ejendomme", "Byggeri København",
    ]
    assert list(Administration.objects.values_list("code", flat=True)) == [
        "ØKF", "KFF", "BUF", "SUF", "SOF", "TMF", "BIF",
    ]
    assert Administration.objects.get(code="KFF").name == "Kultur- og Fritidsforvaltningen"
