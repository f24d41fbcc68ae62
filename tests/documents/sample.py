"""A representative document: a Swedish collaboration appendix of about ten pages.

It carries the hostile strings every writer must print literally: Typst markup,
HTML, a Word field code and control characters that XML forbids.
"""

from __future__ import annotations

from samverkan.documents.model import (
    Block,
    BulletList,
    Document,
    Heading,
    KeyValue,
    Outline,
    PageBreak,
    Paragraph,
    Table,
)

TYPST_ROLE = '#read("/etc/passwd")'
HTML_HOLDER = "<script>alert(1)</script>"
FIELD_FORUM = "{ DATE }"
MARKUP_TEXT = "Formeln $x$ och *fet* text ska stå kvar."
CONTROL_TEXT = "Rad ett\x0bRad två\x00 slut."

ROLES = [
    ("Avtalsägare", "Kund", "Anna Åberg"),
    ("Leveransansvarig", "Leverantör", "Örjan Ström"),
    ("Tjänsteägare", "Kund", "Märta Öberg"),
    ("Servicemanager", "Leverantör", "Björn Näslund"),
    ("Förändringsledare", "Kund", "Åsa Lindqvist"),
    ("Säkerhetsansvarig", "Leverantör", "Jöns Håkansson"),
    (TYPST_ROLE, "Kund", HTML_HOLDER),
    ("Innovationsledare", "Båda", "Gösta Ärlig"),
]

FORUMS = [
    ("Styrgrupp", "Strategisk", "Kvartalsvis"),
    ("Leveransråd", "Taktisk", "Månadsvis"),
    ("Driftmöte", "Operativ", "Veckovis"),
    (FIELD_FORUM, "Operativ", "Vid behov"),
]

PROCESSES = [
    "Incidenthantering",
    "Problemhantering",
    "Ändringshantering",
    "Beställningshantering",
    "Kapacitetsplanering",
    "Kontinuitetsplanering",
    "Säkerhetsincidenter",
    "Leverantörsstyrning",
    "Fakturering",
    "Avvikelsehantering",
    "Behörighetshantering",
    "Releaseplanering",
    "Tjänstekatalog",
    "Kunskapshantering",
    "Mätning och rapportering",
    "Riskhantering",
    "Förbättringsarbete",
    "Innovationsförslag",
    "Exitplanering",
    "Överlämning",
]

RACI_ROLES = [
    "Avtalsägare",
    "Leveransansvarig",
    "Tjänsteägare",
    "Servicemanager",
    "Förändringsledare",
    "Säkerhetsansvarig",
    "Arkitekt",
    "Driftledare",
    "Controller",
    "Innovationsledare",
    "Inköpare",
    "Jurist",
]
RACI_CODES = "RACI"

LOREM = (
    "Parterna ska gemensamt verka för hög kvalitet och driftsäkerhet i tjänsterna, och "
    "för att leveransen över tid utvecklas i takt med verksamhetens affärsplan. Samverkan "
    "bygger på öppenhet, tydliga roller och att frågor löses på lägsta möjliga nivå."
)


def raci_rows() -> list[list[str]]:
    return [
        [process, *(RACI_CODES[(row + column) % 4] for column in range(len(RACI_ROLES)))]
        for row, process in enumerate(PROCESSES)
    ]


def sample_document() -> Document:
    outline = Outline()
    blocks: list[Block] = []

    def heading(level: int, text: str) -> Heading:
        made = outline.heading(level, text)
        return Heading(made.text, made.level, made.number, anchor=f"avsnitt-{made.number}")

    blocks += [
        heading(1, "Syfte och mål"),
        Paragraph(
            "Denna samverkansbilaga beskriver hur parterna samverkar inom avtalet: "
            "organisation, roller, forum, processer och verktyg för att utveckla samarbetet.",
            style="lead",
        ),
        Paragraph(LOREM),
        BulletList(
            [
                "Hög kvalitet och driftstabilitet i de levererade tjänsterna.",
                "Gemensam innovation i takt med verksamhetens affärsplan.",
                "Snabb och förutsägbar hantering av avvikelser och ärenden.",
            ]
        ),
        Paragraph(MARKUP_TEXT),
        Paragraph(CONTROL_TEXT),
        heading(1, "Relationstyp och fokus"),
        Paragraph(LOREM),
        KeyValue(
            [
                ("Relationstyp", "Strategiskt partnerskap"),
                ("Fokus", "Kvalitet, stabilitet och gemensam utveckling"),
                ("Avtalsperiod", "2025-01-01 – 2028-12-31, med option på två år"),
            ]
        ),
        heading(1, "Samverkansmodell och organisation"),
        Paragraph(LOREM),
        heading(2, "Nivåer"),
        Table(
            ["Nivå", "Syfte", "Forum"],
            [
                ["Strategisk", "Inriktning, affärsplan och långsiktig utveckling", "Styrgrupp"],
                ["Taktisk", "Uppföljning, prioritering och förändringar", "Leveransråd"],
                ["Operativ", "Daglig drift, incidenter och ärenden", "Driftmöte"],
            ],
            widths=[1, 3, 1.5],
        ),
        heading(2, "Roller"),
        Paragraph(LOREM),
    ]
    for name, side, holder in ROLES:
        blocks += [
            heading(3, name),
            KeyValue(
                [
                    ("Part", side),
                    ("Ansvar", f"Ansvarar för {name.lower()}s del av samverkan och dess resultat."),
                    ("Befogenheter", "Fattar beslut inom sitt mandat och eskalerar vid behov."),
                    ("Innehavare", holder),
                ]
            ),
        ]
    blocks += [heading(1, "Forum")]
    for name, level, cadence in FORUMS:
        blocks += [
            heading(2, name),
            KeyValue(
                [
                    ("Syfte", f"{name} säkerställer samordning på {level.lower()} nivå."),
                    ("Nivå", level),
                    ("Ordförande", "Avtalsägare"),
                    ("Deltagare", "Leveransansvarig, tjänsteägare, servicemanager"),
                    ("Mötesfrekvens", cadence),
                    ("Mandat", "Beslutar inom ramen för avtalet; övrigt eskaleras."),
                ]
            ),
            BulletList(["Föregående protokoll", "Status och avvikelser", "Beslut och åtgärder"]),
        ]
    blocks += [heading(1, "Gemensamma processer"), Paragraph(LOREM)]
    for process in PROCESSES[:6]:
        blocks += [
            heading(2, process),
            BulletList(
                ["Registrera", "Klassificera", "Åtgärda", "Stäng och följ upp"], numbered=True
            ),
            Table(
                ["Steg", "R", "A", "C", "I"],
                [
                    ["Registrera", "Servicemanager", "Leveransansvarig", "", "Tjänsteägare"],
                    ["Åtgärda", "Driftledare", "Leveransansvarig", "Arkitekt", "Avtalsägare"],
                ],
                widths=[2, 1.5, 1.5, 1.2, 1.2],
            ),
        ]
    blocks += [
        heading(1, "Eskaleringsväg"),
        BulletList(
            ["Driftmöte", "Leveransråd", "Styrgrupp", "Avtalsägare på båda sidor"], numbered=True
        ),
        heading(1, "Innovationsprocess"),
        Paragraph(
            "Att komma överens om: innovationsprocessen och dess ramverk är ännu inte beslutade.",
            style="todo",
        ),
        heading(1, "Uppföljning och styrkort"),
        Table(
            ["Mått", "Hur", "Hur ofta", "Mål"],
            [
                ["Tillgänglighet", "Mätning i övervakningssystem", "Månadsvis", "99,8 %"],
                ["Kundnöjdhet", "Enkät till användare", "Kvartalsvis", "≥ 4,2 av 5"],
                ["Samverkanshälsa", "Hälsoundersökning", "Halvårsvis", "Förbättras"],
                ["Leveransprecision", "Ärendesystem", "Månadsvis", "≥ 95 %"],
            ],
        ),
        heading(1, "Relationsutveckling"),
        Paragraph(LOREM),
        heading(2, "Hälsoundersökningar"),
        Paragraph(LOREM),
        KeyValue(
            [("Frekvens", "Halvårsvis"), ("Ansvarig", "Avtalsägare"), ("Uppföljning", "Styrgrupp")]
        ),
        heading(2, "Samtalsstöd"),
        Paragraph(LOREM),
        heading(2, "Gruppens faser"),
        Paragraph(LOREM),
        BulletList(["Forming", "Storming", "Norming", "Performing"]),
        heading(1, "Exit och samverkan vid avtalets slut"),
        BulletList(["Exitplan tas fram", "Överlämning av dokumentation", "Parallelldrift"]),
        Paragraph(LOREM),
        heading(1, "Ändringar av bilagan"),
        Paragraph(LOREM),
        Paragraph("Ändringar godkänns av en ägare på varje sida.", style="note"),
        PageBreak(),
        Heading("Bilaga A: Kontaktlista", level=1, anchor="bilaga-a"),
        Table(
            ["Roll", "Namn", "Part", "E-post"],
            [
                [name, holder, side, f"kontakt{index}@example.se"]
                for index, (name, side, holder) in enumerate(ROLES, start=1)
            ],
            widths=[2, 2, 1, 2.5],
        ),
        Heading("Bilaga B: RACI-matris", level=1, anchor="bilaga-b"),
        Table(["Process", *RACI_ROLES], raci_rows(), widths=[3, *[1] * 12], compact=True),
    ]
    return Document(
        title="Samverkansbilaga",
        subtitle="Drift och förvaltning av verksamhetssystem – Åkeriförbundet och Nordöst IT",
        language="sv",
        reference="AVT-2025-014",
        version="Version 3",
        date="2025-03-14",
        metadata=[
            ("Avtal", "AVT-2025-014"),
            ("Kund", "Åkeriförbundet"),
            ("Leverantör", "Nordöst IT AB"),
            ("Version", "3, fastställd 2025-03-14"),
        ],
        blocks=blocks,
    )
