"""The municipality's committees, ØU's units and the administrations, as the annexes
name them. Used by the data migration and by tests; the database is the source of truth
at run time."""

COMMITTEES = [
    # code, name
    ("ØU", "Økonomiudvalget"),
    ("KFU", "Kultur- og Fritidsudvalget"),
    ("BUU", "Børne- og Ungdomsudvalget"),
    ("SUD", "Sundheds- og Omsorgsudvalget"),
    ("SOU", "Socialudvalget"),
    ("TMU", "Teknik- og Miljøudvalget"),
    ("BIU", "Beskæftigelses- og Integrationsudvalget"),
]

# Units under Økonomiudvalget that the annexes print on a row of their own.
OU_UNITS = [
    ("KS", "Koncernservice"),
    ("KIT", "Koncern IT"),
    ("KEID", "Københavns Ejendomme"),
    ("BYKBH", "Byggeri København"),
]

ADMINISTRATIONS = [
    # code, name, committee
    ("ØKF", "Økonomiforvaltningen", "ØU"),
    ("KFF", "Kultur- og Fritidsforvaltningen", "KFU"),
    ("BUF", "Børne- og Ungdomsforvaltningen", "BUU"),
    ("SUF", "Sundheds- og Omsorgsforvaltningen", "SUD"),
    ("SOF", "Socialforvaltningen", "SOU"),
    ("TMF", "Teknik- og Miljøforvaltningen", "TMU"),
    ("BIF", "Beskæftigelses- og Integrationsforvaltningen", "BIU"),
]
