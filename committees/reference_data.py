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


# The default price and wage index (pris- og lønindeks, p/l) loaded by the data migration
# 0006: Økonomistyrelsen's "Generel pris- og lønstigning" (yearly rise in per cent, the
# index the state uses for fixed-price calculations of its operating expenditure), table
# "Pris- og lønforudsætninger" on
# https://oes.dk/statsregnskab/finanslov-og-udgiftsopfoelgning/indeks/fastprisberegninger/
# (consulted 2026; figures for 2024-2025 are that page's estimates). Chained to an index
# with 2010 = 100 (finance.prices.chain_index). Bilag uses it for service (drift); an
# "anlæg" series (e.g. the same page's "Anlægsudgifter" column) can be entered in the
# admin. Replace or extend the series there (e.g. with KL's pris- og lønskøn for the
# municipal service expenditure) when the municipality uses another.
PRICE_INDEX_SOURCE = (
    "Økonomistyrelsen, Fastprisberegninger: Generel pris- og lønstigning (2010 = 100)"
)
PRICE_INDEX_BASE_YEAR = 2010
GENERAL_PL_RISE_PCT = {
    2011: "1.3",
    2012: "1.6",
    2013: "0.5",
    2014: "0.4",
    2015: "0.5",
    2016: "0.5",
    2017: "1.2",
    2018: "1.9",
    2019: "1.3",
    2020: "1.1",
    2021: "1.2",
    2022: "4.3",
    2023: "2.5",
    2024: "4.0",
    2025: "2.8",
}
