"""Time to produce the collaboration appendix of a large model, in-process.

A throw-away installation (SQLite under a temporary SAMVERKAN_HOME, DEBUG=1)
gets one agreement with a large collaboration model, created through the
services: 40 roles (both sides and joint, all three levels), 15 forums,
20 joint processes with RACI, a three-step escalation path, objectives and a
relationship type. From the model's snapshot it then times, each as the median
of BENCH_RUNS runs after one warm-up run:

- ``agreement_snapshot``: reading the model from the database into the snapshot;
- ``appendix_document``: building the format-free document from the snapshot;
- ``render_docx`` and ``render_pdf``: the two writers.

Next to them, as the user's alternative, a warm LibreOffice conversion of the
same DOCX to PDF (``soffice --headless --convert-to pdf`` with a private
profile): one run to create the profile and warm the caches, then the median of
BENCH_LIBREOFFICE_RUNS runs. Skipped with a note on stderr when ``soffice`` is
not installed.

It prints one JSON line per figure on stdout; progress goes to stderr.

Knobs (environment): BENCH_RUNS (default 9), BENCH_LIBREOFFICE_RUNS (default 3),
BENCH_SOFFICE (the soffice command, default ``soffice`` on PATH).
"""

from __future__ import annotations

import datetime
import io
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

BENCH = "documents"
RUNS = int(os.environ.get("BENCH_RUNS", "9"))
LIBREOFFICE_RUNS = int(os.environ.get("BENCH_LIBREOFFICE_RUNS", "3"))
SOFFICE = os.environ.get("BENCH_SOFFICE") or shutil.which("soffice") or ""
LIBREOFFICE_TIMEOUT = 120.0  # seconds; the first start creates the profile

LANGUAGE = "sv"
VERSION = "Version 1"
DATE = "2026-11-23"
GOALS = {"pdf_median_s": 0.2, "docx_median_s": 0.3}

CUSTOMER = "Mälardalens Energi AB"
SUPPLIER = "Nordvik IT-tjänster AB"
REFERENCE = "AVT-2026-017"

T = TypeVar("T")


def log(message: str) -> None:
    print(f"[{BENCH}] {message}", file=sys.stderr, flush=True)


# --- The model --------------------------------------------------------------------

# (name, side, level, orientation): 40 roles, both sides and joint, all levels.
ROLES = (
    ("Ekonomidirektör", "customer", "strategic", "business"),
    ("IT-direktör (CIO)", "customer", "strategic", "it"),
    ("Affärsområdeschef Elnät", "customer", "strategic", "business"),
    ("Chef för verksamhetsutveckling", "customer", "strategic", "business"),
    ("Inköpsdirektör", "customer", "strategic", "business"),
    ("Vd, leverantören", "supplier", "strategic", "business"),
    ("Affärsområdeschef Energi och utility", "supplier", "strategic", "business"),
    ("Leveransdirektör", "supplier", "strategic", "it"),
    ("Teknisk direktör (CTO)", "supplier", "strategic", "it"),
    ("Strategisk samverkansledare", "joint", "strategic", "business"),
    ("Avtalsförvaltare", "customer", "tactical", "business"),
    ("Leverantörsansvarig", "customer", "tactical", "business"),
    ("Tjänsteägare ekonomisystem", "customer", "tactical", "business"),
    ("Tjänsteägare kundportal", "customer", "tactical", "business"),
    ("Objektägare mätvärdesinsamling", "customer", "tactical", "business"),
    ("Informationssäkerhetsansvarig", "customer", "tactical", "it"),
    ("Enterprise-arkitekt", "customer", "tactical", "it"),
    ("Uppdragsansvarig", "supplier", "tactical", "business"),
    ("Leveransansvarig drift", "supplier", "tactical", "it"),
    ("Leveransansvarig applikationsförvaltning", "supplier", "tactical", "it"),
    ("Lösningsarkitekt", "supplier", "tactical", "it"),
    ("Säkerhetsansvarig (CISO), leverantören", "supplier", "tactical", "it"),
    ("Kvalitets- och miljöansvarig", "supplier", "tactical", "business"),
    ("Innovationsledare", "joint", "tactical", "business"),
    ("Förändringsledare", "joint", "tactical", "business"),
    ("Systemförvaltare ekonomi", "customer", "operational", "business"),
    ("Systemförvaltare kundportal", "customer", "operational", "business"),
    ("Verksamhetsspecialist elnät", "customer", "operational", "business"),
    ("Beställare", "customer", "operational", "business"),
    ("IT-samordnare", "customer", "operational", "it"),
    ("Testledare, kunden", "customer", "operational", "it"),
    ("Servicedeskansvarig", "supplier", "operational", "it"),
    ("Incidentansvarig", "supplier", "operational", "it"),
    ("Problemansvarig", "supplier", "operational", "it"),
    ("Ändringsansvarig (change manager)", "supplier", "operational", "it"),
    ("Driftstekniker", "supplier", "operational", "it"),
    ("Utvecklingsledare", "supplier", "operational", "it"),
    ("Testledare, leverantören", "supplier", "operational", "it"),
    ("Releasesamordnare", "joint", "operational", "it"),
    ("Mätvärdesanalytiker", "joint", "operational", "business"),
)
RESPONSIBILITIES = (
    "Säkerställer att tjänsterna levereras enligt avtalade servicenivåer",
    "Följer upp leveransen månadsvis mot styrkortet",
    "Äger och prioriterar beställningar inom sitt område",
    "Förankrar förändringar i verksamheten före införande",
    "Håller avtalets bilagor aktuella och spårbara",
    "Leder arbetet med ständiga förbättringar",
    "Rapporterar avvikelser och risker till närmast högre forum",
    "Säkerställer att informationssäkerhetskraven efterlevs",
    "Planerar kapacitet och kompetens för kommande år",
    "Samordnar releaser, tester och driftsättningar",
    "Tar fram underlag för beslut om investeringar och prioriteringar",
    "Ansvarar för att åtgärder från incidentgenomgångar genomförs",
    "Deltar i hälsokontroller av relationen och följer upp resultaten",
    "Bidrar med idéer till den gemensamma innovationsprocessen",
)
AUTHORITIES = (
    "Godkänner ändringar upp till 200 000 kr per ärende",
    "Beslutar om prioritering av ärenden inom området",
    "Får stoppa en driftsättning som hotar driftstabiliteten",
    "Godkänner testresultat och acceptans",
    "Utser ersättare vid frånvaro",
    "Får eskalera till styrgruppen utan dröjsmål",
    "Attesterar fakturor inom budget",
    "Beslutar om bemanning i det egna teamet",
    "Godkänner tjänsterapporten för månaden",
    "Får begära extra uppföljningsmöten",
)
LEVEL_SV = {"strategic": "strategisk", "tactical": "taktisk", "operational": "operativ"}
FIRST_NAMES = (
    "Karin", "Åsa", "Björn", "Sofia", "Göran", "Märta", "Jörgen", "Linnéa", "Pär", "Ingrid",
    "Östen", "Maja", "Anders", "Helena", "Örjan", "Annika", "Mikael", "Sara", "Håkan", "Elin",
)  # fmt: skip
LAST_NAMES = (
    "Lindqvist", "Åberg", "Söderström", "Nyström", "Bäckman", "Håkansson", "Ek", "Öhman",
    "Sjögren", "Lundgren", "Mårtensson", "Ström", "Wikström", "Forsberg", "Hägglund",
)  # fmt: skip
FORUMS = (
    ("Styrgrupp", "strategic", "quarterly"),
    ("Strategiskt partnerråd", "strategic", "semiannual"),
    ("Ledningsmöte för innovation", "strategic", "semiannual"),
    ("Årlig relationsöversyn", "strategic", "annual"),
    ("Leveransråd", "tactical", "monthly"),
    ("Avtals- och ekonomiforum", "tactical", "monthly"),
    ("Arkitekturråd", "tactical", "monthly"),
    ("Säkerhetsforum", "tactical", "quarterly"),
    ("Förändringsråd (CAB)", "tactical", "biweekly"),
    ("Innovationsforum", "tactical", "quarterly"),
    ("Driftmöte", "operational", "weekly"),
    ("Incidentgenomgång", "operational", "weekly"),
    ("Releaseplanering", "operational", "biweekly"),
    ("Förvaltningsgrupp ekonomisystem", "operational", "biweekly"),
    ("Förvaltningsgrupp kundportal", "operational", "biweekly"),
)
AGENDA = (
    "Uppföljning av föregående protokoll",
    "Leveransläge och servicenivåer",
    "Risker, avvikelser och åtgärder",
    "Prioritering av ärenden och beställningar",
    "Förbättringsförslag och idéer",
    "Ekonomi mot budget",
    "Beslut och eskaleringar",
    "Övriga frågor",
)
INPUTS = (
    "Månatlig tjänsterapport",
    "Styrkort med mätvärden",
    "Risk- och åtgärdslista",
    "Ändringsbegäranden",
    "Resultat från hälsokontrollen",
    "Idélista från innovationsforum",
)
OUTPUTS = (
    "Protokoll med beslut",
    "Uppdaterad åtgärdslista",
    "Prioriterad backlogg",
    "Eskaleringar till nästa nivå",
    "Beslutsunderlag till styrgruppen",
    "Uppdaterad riskbild",
)
DECISIONS = (
    "change_request",
    "budget",
    "service_level_change",
    "appendix_change",
    "innovation_approval",
    "priority",
    "key_staffing",
    "escalation",
    "dispute",
)
PROCESSES = (
    "Incidenthantering",
    "Problemhantering",
    "Ändringshantering",
    "Releasehantering",
    "Beställning av tjänster",
    "Kapacitetsplanering",
    "Tjänsteuppföljning",
    "Avvikelsehantering och viten",
    "Budget och prognos",
    "Fakturering och attest",
    "Informationssäkerhetsincidenter",
    "Kontinuitetsplanering och återläsning",
    "Behörighetshantering",
    "Leverantörsbyte av underleverantör",
    "Innovationsprocess: idé till införande",
    "Kompetensförsörjning och nyckelpersoner",
    "Hälsokontroll av relationen",
    "Revision av avtalets bilagor",
    "Utfasning av system",
    "Exit och överlämning",
)
STEPS = (
    "Registrera ärendet i ärendehanteringssystemet",
    "Klassificera och prioritera enligt matrisen",
    "Analysera påverkan på verksamhet och säkerhet",
    "Ta fram förslag till åtgärd med kostnad och tidplan",
    "Besluta i rätt forum enligt mandatet",
    "Genomföra åtgärden och dokumentera",
    "Verifiera resultatet tillsammans med beställaren",
    "Kommunicera till berörda och stänga ärendet",
    "Följa upp i nästa leveransråd",
)
OBJECTIVES = (
    "Hög kvalitet och driftstabilitet: 99,8 % tillgänglighet för de affärskritiska tjänsterna.",
    "Innovera tillsammans med verksamheten för att följa affärsplanen 2026–2028.",
    "Minst fyra genomförda förbättringsförslag per kvartal.",
    "Nöjdhetsindex över 75 i den halvårsvisa hälsokontrollen.",
    "Förutsägbara kostnader: avvikelse mot budget under 5 %.",
)


def build_model() -> Any:
    """Create the parties, the agreement and the large model through the services."""
    from samverkan.accounts.models import MembershipRole, OrganisationKind
    from samverkan.accounts.services import membership_set, organisation_create, user_create
    from samverkan.agreements.models import AgreementStatus
    from samverkan.agreements.services import agreement_create
    from samverkan.collaboration import services as model
    from samverkan.relationships.services import relationship_set_type

    rng = random.Random(17)
    user = user_create(
        email="karin.lindqvist@malardalsenergi.example",
        password=None,
        full_name="Karin Lindqvist",
        title="Leverantörsansvarig",
    )
    customer = organisation_create(
        name=CUSTOMER, kind=OrganisationKind.CUSTOMER, org_number="556112-4834"
    )
    membership_set(organisation=customer, user=user, role=MembershipRole.ADMIN)
    organisation_create(name=SUPPLIER, kind=OrganisationKind.SUPPLIER, org_number="559047-2212")
    agreement = agreement_create(
        actor=user,
        own_organisation=customer,
        counterpart_name=SUPPLIER,
        reference=REFERENCE,
        title="Drift, förvaltning och vidareutveckling av affärssystemen",
        description=f"Avtal om drift och förvaltning av affärssystemen för {CUSTOMER}.",
        services="Servicedesk vardagar 07–18\nIncident- och problemhantering\nÖvervakning",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        annual_value=Decimal("14500000"),
        status=AgreementStatus.ACTIVE,
        seed_model=False,
    )

    def person() -> dict[str, str]:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = unicodedata.normalize("NFKD", f"{first}.{last}".lower())
        local = local.encode("ascii", "ignore").decode()  # åäö → aao: e-mail wants ASCII
        return {"name": f"{first} {last}", "email": f"{local}@exempel.example"}

    roles = []
    for index, (name, side, level, orientation) in enumerate(ROLES):
        rights = []
        if index % 3 == 0:
            rights = [
                {"decision": decision, "limit": rng.choice((50_000, 250_000, 1_000_000))}
                for decision in rng.sample(DECISIONS, rng.randint(1, 3))
            ]
        roles.append(
            model.role_create(
                agreement=agreement,
                actor=user,
                name=name,
                side=side,
                level=level,
                orientation=orientation,
                purpose=f"{name} företräder sin part i samverkan på {LEVEL_SV[level]} nivå.",
                responsibilities=rng.sample(RESPONSIBILITIES, rng.randint(3, 5)),
                authorities=rng.sample(AUTHORITIES, rng.randint(3, 5)),
                decision_rights=rights,
                holders=[person() for _ in range(rng.randint(1, 2))],
            )
        )

    forums = []
    for name, level, cadence in FORUMS:
        same_level = [role for role in roles if role.level == level]
        members = rng.sample(roles, rng.randint(5, 10))
        forums.append(
            model.forum_create(
                agreement=agreement,
                actor=user,
                name=name,
                level=level,
                purpose=f"{name}: samordnar, följer upp och beslutar inom sitt mandat.",
                chair=rng.choice(same_level),
                cadence=cadence,
                members=members,
                agenda=rng.sample(AGENDA, rng.randint(4, 6)),
                inputs=rng.sample(INPUTS, rng.randint(2, 4)),
                outputs=rng.sample(OUTPUTS, rng.randint(2, 4)),
                mandate=[
                    {
                        "decision": decision,
                        "limit": rng.choice((None, 100_000, 500_000, 2_000_000)),
                        "note": "Inom avtalad budget.",
                    }
                    for decision in rng.sample(DECISIONS, rng.randint(2, 4))
                ],
            )
        )

    for name in PROCESSES:
        involved = rng.sample(roles, rng.randint(6, 10))
        letters = ["A", "R"] + [rng.choice("RCI") for _ in involved[2:]]
        model.process_create(
            agreement=agreement,
            actor=user,
            name=name,
            purpose=f"Gemensamt arbetssätt för {name.lower()}.",
            owner=involved[0],
            steps=rng.sample(STEPS, rng.randint(5, 7)),
            raci=dict(zip(involved, letters, strict=True)),
        )

    # Driftmöte (operational) → Leveransråd (tactical) → Styrgrupp (strategic).
    model.escalation_set(
        agreement=agreement, actor=user, steps=[(forums[10], 2), (forums[4], 5), (forums[0], 10)]
    )
    model.objectives_set(agreement=agreement, actor=user, texts=OBJECTIVES)
    relationship_set_type(agreement=agreement, actor=user, type="business_enhancement")
    return agreement


# --- Timing -----------------------------------------------------------------------


def timed(function: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def median_of(label: str, function: Callable[[], T]) -> tuple[float, float, T]:
    """The first (cold) run's time, the median of RUNS further runs, and the last result."""
    first, result = timed(function)
    times = []
    for _ in range(RUNS):
        elapsed, result = timed(function)
        times.append(elapsed)
    median = statistics.median(times)
    log(
        f"{label}: first {first * 1000:.1f} ms, median {median * 1000:.1f} ms "
        f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}) over {RUNS} runs"
    )
    return first, median, result


def convert_with_libreoffice(docx: Path, outdir: Path, profile: Path) -> float:
    """One ``soffice --convert-to pdf`` run, in its own process group; its wall time."""
    command = [
        SOFFICE,
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(outdir),
        str(docx),
    ]
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so a timeout reaches soffice.bin
    )
    try:
        output, _ = process.communicate(timeout=LIBREOFFICE_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        raise RuntimeError(f"soffice did not finish within {LIBREOFFICE_TIMEOUT:.0f} s") from None
    elapsed = time.perf_counter() - started
    pdf = outdir / docx.with_suffix(".pdf").name
    if process.returncode != 0 or not pdf.exists() or pdf.stat().st_size == 0:
        text = output.decode("utf-8", errors="replace").strip()
        raise RuntimeError(f"soffice failed (status {process.returncode}): {text}")
    return elapsed


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


# --- Main -------------------------------------------------------------------------


def emit(figure: str, value: float, unit: str, **context: Any) -> None:
    line: dict[str, Any] = {
        "bench": BENCH,
        "figure": figure,
        "value": round(value, 4) if unit == "s" else value,
        "unit": unit,
    }
    if figure in GOALS:
        line["goal"] = GOALS[figure]
    line.update(roles=len(ROLES), forums=len(FORUMS), processes=len(PROCESSES), **context)
    print(json.dumps(line), flush=True)


def main() -> int:
    # A SIGTERM (e.g. from run.py's watchdog) unwinds through the finally block.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    home = Path(tempfile.mkdtemp(prefix="samverkan-bench-documents-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(
        SAMVERKAN_HOME=str(home / "home"),
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="samverkan.settings",
    )
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from samverkan.agreements.agreement_file import agreement_snapshot
        from samverkan.appendix.document import appendix_document
        from samverkan.documents.docx import render_docx
        from samverkan.documents.pdf import render_pdf

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        agreement = build_model()
        log(
            f"migrated and built the model ({len(ROLES)} roles, {len(FORUMS)} forums, "
            f"{len(PROCESSES)} processes) in {time.monotonic() - started:.1f} s"
        )

        _, snap_median, snapshot = median_of(
            "agreement_snapshot", lambda: agreement_snapshot(agreement)
        )
        counts = tuple(len(snapshot.get(part) or []) for part in ("roles", "forums", "processes"))
        if counts != (len(ROLES), len(FORUMS), len(PROCESSES)):
            raise RuntimeError(f"the snapshot holds {counts} roles, forums, processes")

        def build() -> Any:
            return appendix_document(snapshot, language=LANGUAGE, version=VERSION, date=DATE)

        _, doc_median, document = median_of("appendix_document", build)
        text = json.dumps(document.to_data(), ensure_ascii=False)
        names = [role[0] for role in ROLES] + [forum[0] for forum in FORUMS] + list(PROCESSES)
        missing = [name for name in names if name not in text]
        if missing:
            raise RuntimeError(f"the document lacks {len(missing)} parts, first: {missing[0]}")
        docx_first, docx_median, docx = median_of("render_docx", lambda: render_docx(document))
        pdf_first, pdf_median, pdf = median_of("render_pdf", lambda: render_pdf(document))
        pages = pdf_pages(pdf)
        log(f"DOCX {len(docx)} bytes; PDF {len(pdf)} bytes, {pages} pages")

        runs = {"runs": RUNS}
        emit("snapshot_median_s", snap_median, "s", **runs)
        emit("document_median_s", doc_median, "s", **runs)
        emit("docx_median_s", docx_median, "s", **runs)
        emit("pdf_median_s", pdf_median, "s", **runs)
        emit("docx_first_s", docx_first, "s")
        emit("pdf_first_s", pdf_first, "s")
        emit("docx_bytes", len(docx), "bytes")
        emit("pdf_bytes", len(pdf), "bytes")
        emit("pdf_pages", pages, "pages")

        if not SOFFICE:
            log("soffice not found: skipping the LibreOffice comparison")
            return 0
        work = home / "libreoffice"
        outdir = work / "out"
        outdir.mkdir(parents=True)
        source = work / f"{REFERENCE}.docx"
        source.write_bytes(docx)
        profile = work / "profile"  # private, so a running LibreOffice does not interfere
        cold = convert_with_libreoffice(source, outdir, profile)
        log(f"LibreOffice first run (creates the profile): {cold:.2f} s")
        times = [convert_with_libreoffice(source, outdir, profile) for _ in range(LIBREOFFICE_RUNS)]
        lo_median = statistics.median(times)
        lo_pages = pdf_pages((outdir / source.with_suffix(".pdf").name).read_bytes())
        log(
            f"LibreOffice warm: median {lo_median:.2f} s "
            f"({', '.join(f'{t:.2f}' for t in times)}), {lo_pages} pages"
        )
        emit("libreoffice_warm_median_s", lo_median, "s", runs=LIBREOFFICE_RUNS)
        emit("libreoffice_pdf_pages", lo_pages, "pages")
        emit("libreoffice_to_pdf_ratio", round(lo_median / pdf_median, 1), "ratio")
    except Exception as exc:  # any failure: the traceback, a FAILED line, exit status 1
        traceback.print_exc()
        log(f"FAILED: {type(exc).__name__}: {exc}")
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
