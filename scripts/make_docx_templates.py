"""Write the bundled Word templates ``templates/docx/*.docx`` (docxtpl tags in a real .docx).

    .venv/bin/python scripts/make_docx_templates.py

The output is committed; run this again after changing it. It is reproducible: the same
script gives the same bytes. Administrators edit copies of these files in Word or LibreOffice
and upload them on /admin/dokumentmaler; the variables they may use are listed there and in
``soknad/documents/variables.py``. An application's point titles come from the form
definition (``forms/*.toml``), not from the template.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from soknad.documents import docxzip  # noqa: E402

OUT = ROOT / "templates" / "docx"
MADE = datetime(2026, 1, 1, tzinfo=UTC)
RHFS = "Helse Sør-Øst RHF · Helse Vest RHF · Helse Midt-Norge RHF · Helse Nord RHF"


def new_document() -> Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = document.styles["Normal"]
    normal.font.size = Pt(11)
    # Norwegian bokmål as the language of every text (spelling, hyphenation, screen readers).
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in run_defaults.findall(qn("w:lang")):
        run_defaults.remove(old)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "nb-NO")
    lang.set(qn("w:eastAsia"), "nb-NO")
    lang.set(qn("w:bidi"), "ar-SA")
    run_defaults.append(lang)
    return document


def signature(document: Document) -> None:
    """Helsedirektoratet's signature under a letter: the signatory when one is set."""
    document.add_paragraph("Med hilsen")
    document.add_paragraph("{%p if underskriver %}")
    document.add_paragraph("{{ underskriver }}")
    document.add_paragraph("{{ underskriver_tittel }}")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("Helsedirektoratet")
    document.add_paragraph(
        "Brevet er godkjent elektronisk og har derfor ingen håndskrevne signaturer.")


def footer(document: Document, text: str) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.add_run(text + " – side ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    value = OxmlElement("w:t")
    value.text = "1"
    run.append(value)
    field.append(run)
    paragraph._p.append(field)


def header_row(table: Table) -> None:
    """Bold header cells, repeated at the top of every page the table spans."""
    row = table.rows[0]
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    properties.append(repeat)
    for cell in row.cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def table(document: Document, header: list[str], body: list[list[str]]) -> Table:
    result = document.add_table(rows=1 + len(body), cols=len(header))
    result.style = "Table Grid"
    result.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, text in zip(result.rows[0].cells, header, strict=True):
        cell.text = text
    for row, texts in zip(result.rows[1:], body, strict=True):
        for cell, text in zip(row.cells, texts, strict=False):
            cell.text = text
    header_row(result)
    return result


def loop_table(document: Document, header: list[str], loop: str, cells: list[str]) -> Table:
    """A table whose body row repeats once per item: ``{%tr for … %}`` … ``{%tr endfor %}``."""
    blank = [""] * (len(header) - 1)
    return table(document, header, [[f"{{%tr {loop} %}}", *blank], cells,
                                    ["{%tr endfor %}", *blank]])


def save(document: Document, name: str, title: str) -> None:
    docxzip.set_core_properties(document, title=title, moment=MADE)
    (OUT / name).write_bytes(docxzip.save(document))


# --------------------------------------------------------------------------- the application


def application() -> None:
    d = new_document()
    d.add_paragraph("{{ tittel }}", style="Title")
    d.add_paragraph("{{ tjenestenavn }}", style="Subtitle")
    facts = table(d, ["Opplysning", "Verdi"], [
        ["Forslag til engelsk navn", "{{ engelsk_navn }}"],
        ["Helseforetak", "{{ helseforetak }}"],
        ["Helseregion", "{{ region }}"],
        ["Tjenestetype", "{{ tjenestetype }}"],
        ["Søknadstype", "{{ soknadstype }}"],
        ["Søknadsrunde", "{{ runde }}"],
        ["Sendt inn", "{{ innsendt }}{% if innsendt_av %} av {{ innsendt_av }}{% endif %}"
                      "{% if innsending_nr %} (innsending {{ innsending_nr }}){% endif %}"],
        ["Skjema", "{{ skjema }}, versjon {{ skjemaversjon }}"],
        ["SHA-256", "{{ sha256 }}"],
    ])
    facts.rows[0]._tr.getparent().remove(facts.rows[0]._tr)
    d.add_paragraph(
        "Dokumentet er laget fra den innsendte versjonen av søknaden. SHA-256-sjekksummen "
        "identifiserer nøyaktig den versjonen helseforetaket sendte inn. Punktene og "
        "titlene følger vedlegg 6 i Veileder for nasjonale tjenester i "
        "spesialisthelsetjenesten."
    )
    d.add_paragraph("{%p for punkt in punkter %}")
    d.add_paragraph("{{ punkt.overskrift }}", style="Heading 1")
    d.add_paragraph("{%p for felt in punkt.felter %}")
    d.add_paragraph("{{ felt.ledetekst }}", style="Heading 2")
    d.add_paragraph('{%p if felt.type == "tabell" %}')
    columns = table(d, ["{%tc for kolonne in felt.kolonner %}", "{{ kolonne }}",
                        "{%tc endfor %}"], [
        ["{%tr for rad in felt.rader %}", "", ""],
        ["{%tc for celle in rad %}", "{{ celle }}", "{%tc endfor %}"],
        ["{%tr endfor %}", "", ""],
    ])
    del columns
    d.add_paragraph('{%p elif felt.type == "liste" %}')
    d.add_paragraph("{%p for element in felt.liste %}")
    d.add_paragraph("{{ element }}", style="List Bullet")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("{{ felt.tekst }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("Merknader fra kontrollen", style="Heading 1")
    d.add_paragraph("Kontrollene i søknadsportalen ga disse advarslene da søknaden ble sendt "
                    "inn. En advarsel stopper ikke innsendingen, men bør leses.")
    d.add_paragraph("{%p if merknader %}")
    d.add_paragraph("{%p for merknad in merknader %}")
    d.add_paragraph("{{ merknad.punkt }}: {{ merknad.tekst }}"
                    "{% if merknad.kilde %} ({{ merknad.kilde }}){% endif %}",
                    style="List Bullet")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Kontrollene ga ingen advarsler.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Vedlegg", style="Heading 1")
    d.add_paragraph("{%p if vedlegg %}")
    d.add_paragraph("Vedleggene følger søknaden som egne filer. SHA-256 identifiserer hver fil.")
    loop_table(d, ["Vedlegg", "Hører til", "Størrelse", "SHA-256"], "for fil in vedlegg",
               ["{{ fil.navn }}", "{{ fil.felt }}", "{{ fil.storrelse }}", "{{ fil.sha256 }}"])
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Søknaden har ingen vedlegg.")
    d.add_paragraph("{%p endif %}")
    footer(d, "{{ tjenestenavn }} – {{ helseforetak }}")
    save(d, "soknad.docx", "Søknad om nasjonal tjeneste")


# --------------------------------------------------------------------------- the cover letter


#: The width of the text between the margins (21 cm − 2 × 2.5 cm).
TEXT_WIDTH_CM = 16.0


def fit_columns(result: Table, widths_cm: list[float], font_pt: float = 10) -> None:
    """Give the table fixed column widths that fit the longest words in its cells (so that
    Word and LibreOffice do not break a word such as «behandlingstjeneste» in the middle) and
    a slightly smaller font than the letter's text."""
    assert abs(sum(widths_cm) - TEXT_WIDTH_CM) < 0.01, "the columns must fill the text width"
    result.autofit = False
    properties = result._tbl.tblPr
    width = properties.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(Cm(TEXT_WIDTH_CM).twips))
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    width.addnext(layout)
    for column, size in zip(result.columns, widths_cm, strict=True):
        column.width = Cm(size)
        for cell in column.cells:
            cell.width = Cm(size)
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(font_pt)


def second_line(cell: Any, text: str, font_pt: float = 10) -> None:
    """A second paragraph in a table cell (e.g. a signatory's title under the name)."""
    cell.add_paragraph().add_run(text).font.size = Pt(font_pt)


def regional_reasons(d: Document) -> None:
    """Each RHF's own ranking and its reason for the order."""
    d.add_paragraph("De regionale prioriteringene og begrunnelsene", style="Heading 1")
    d.add_paragraph("Hvert regionalt helseforetak har prioritert søknadene fra sine "
                    "helseforetak. Den nasjonale listen er satt sammen av de fire regionale "
                    "prioriteringene.")
    d.add_paragraph("{%p for region in regioner %}")
    d.add_paragraph("{{ region.region }} RHF", style="Heading 3")
    d.add_paragraph("{%p if region.soknader %}")
    d.add_paragraph("Regionens prioritering: {% for s in region.soknader %}{{ s.rang }}. "
                    "{{ s.navn }}{% if not loop.last %}; {% endif %}{% endfor %}.")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Regionen har ikke godtatt søknader i denne søknadsrunden.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p if region.begrunnelse %}")
    d.add_paragraph("Begrunnelse for rekkefølgen: {{ region.begrunnelse }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p endfor %}")


def contact_and_signatures(d: Document) -> None:
    """The contact person, and the four RHFs' signatories with their titles."""
    d.add_paragraph("{%p if kontakt_navn %}")
    d.add_paragraph("Kontaktperson", style="Heading 1")
    d.add_paragraph("Spørsmål om den samlede søknaden kan rettes til:")
    d.add_paragraph("{{ kontakt_navn }}{% if kontakt_tittel %}, {{ kontakt_tittel }}{% endif %}"
                    "{% if kontakt_virksomhet %}, {{ kontakt_virksomhet }}{% endif %}")
    d.add_paragraph("E-post: {{ kontakt_epost }}")
    d.add_paragraph("Telefon: {{ kontakt_telefon }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Med vennlig hilsen")
    d.add_paragraph("{%p for samtykke in samtykker %}")
    d.add_paragraph("{{ samtykke.gitt_av }}")
    d.add_paragraph("{% if samtykke.tittel %}{{ samtykke.tittel }}, {% endif %}"
                    "{{ samtykke.region }} RHF")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("Dokumentet er godkjent elektronisk og har derfor ingen håndskrevne "
                    "signaturer.")


def cover_letter() -> None:
    d = new_document()
    d.add_paragraph(RHFS)
    d.add_paragraph("Til: Helsedirektoratet")
    d.add_paragraph("Kopi: Helse- og omsorgsdepartementet")
    d.add_paragraph("Dato: {{ dato }}")
    d.add_paragraph("Samlet søknad om nasjonale tjenester – søknadsrunden {{ runde }}",
                    style="Title")
    d.add_paragraph(
        "De fire regionale helseforetakene sender med dette den samlede og prioriterte "
        "søknaden om nasjonale tjenester i spesialisthelsetjenesten for søknadsrunden "
        "{{ runde }}, med frist {{ frist }}. Søknadene er behandlet og prioritert i hver "
        "helseregion, og de regionale helseforetakene er enige om den nasjonale "
        "prioriteringen nedenfor. Helse- og omsorgsdepartementet får kopi."
    )
    d.add_paragraph("Den samlede søknaden omfatter {{ antall }} søknader."
                    "{% if koordinerende_rhf %} {{ koordinerende_rhf }} har koordinert "
                    "søknadsrunden.{% endif %}")
    d.add_paragraph("Nasjonal prioriteringsliste", style="Heading 1")
    ranking = loop_table(d, ["Prioritet", "Tjeneste", "Tjenestetype", "Helseforetak"],
                         "for soknad in soknader",
                         ["{{ soknad.rang }}", "{{ soknad.navn }}", "{{ soknad.tjenestetype }}",
                          "{{ soknad.helseforetak }}"])
    fit_columns(ranking, [2.1, 5.0, 4.1, 4.8])
    second_line(ranking.rows[2].cells[3], "{{ soknad.region }}")
    d.add_paragraph("Kort beskrivelse av tjenestene", style="Heading 1")
    d.add_paragraph("Beskrivelsen er søknadens punkt 1: innhold, formål og avgrensning "
                    "(høyst 100 ord).")
    d.add_paragraph("{%p for soknad in soknader %}")
    d.add_paragraph("{{ soknad.rang }}. {{ soknad.navn }}", style="Heading 2")
    d.add_paragraph("{{ soknad.tjenestetype }}, {{ soknad.helseforetak }} "
                    "({{ soknad.region }}){% if soknad.soknadstype %}. "
                    "{{ soknad.soknadstype }}{% endif %}.")
    d.add_paragraph("{{ soknad.beskrivelse }}")
    d.add_paragraph("{%p endfor %}")
    regional_reasons(d)
    d.add_paragraph("De regionale helseforetakenes samtykke", style="Heading 1")
    d.add_paragraph("Prioriteringslisten ble låst da alle fire regionale helseforetak hadde "
                    "samtykket til den.")
    consents = loop_table(d, ["Helseregion", "Svar", "Gitt av", "Tidspunkt", "Merknad"],
                          "for samtykke in samtykker",
                          ["{{ samtykke.region }}", "{{ samtykke.beslutning }}",
                           "{{ samtykke.gitt_av }}", "{{ samtykke.tidspunkt }}",
                           "{{ samtykke.kommentar }}"])
    fit_columns(consents, [3.8, 2.5, 3.9, 2.6, 3.2])
    second_line(consents.rows[2].cells[2], "{{ samtykke.tittel }}")
    d.add_paragraph("Vedlegg", style="Heading 1")
    d.add_paragraph("Hver søknad følger som Word-dokument i prioritert rekkefølge, med sine "
                    "vedlegg. Filen manifest.json lister alle filene i pakken med størrelse og "
                    "SHA-256-sjekksum.")
    contact_and_signatures(d)
    footer(d, "Samlet søknad om nasjonale tjenester {{ runde }}")
    save(d, "samlet_soknad.docx", "Samlet søknad om nasjonale tjenester")


# --------------------------------------------------------------------------- the decision


def approval_paragraphs(d: Document) -> None:
    """What an approval says, by the application's kind."""
    # Each kind's own outcome (soknad/domain/lifecycle.py): a termination ends the service,
    # a change of name or content changes it; only an establishment is «etablert innen».
    d.add_paragraph("{%p if avvikling %}")
    d.add_paragraph("Helsedirektoratet godkjenner avvikling av {{ tjenestetype_liten }} "
                    "«{{ gjelder_tjeneste }}» ved {{ helseforetak }}.")
    d.add_paragraph("Tjenesten avvikles som nasjonal tjeneste fra og med {{ avvikles_fra }}. "
                    "Fra denne dagen er den ikke lenger en del av styringssystemet for nasjonale "
                    "tjenester. Det er opp til de regionale helseforetakene å vurdere videre "
                    "drift og organisasjonsform for oppgaver som skal videreføres.")
    d.add_paragraph("Ved avvikling må de alminnelige regler i arbeidslivet følges i forhold "
                    "til personell.")
    d.add_paragraph("{%p elif navneendring %}")
    d.add_paragraph("Helsedirektoratet godkjenner at {{ tjenestetype_liten }} "
                    "«{{ tidligere_navn }}» ved {{ helseforetak }} får det nye navnet "
                    "«{{ nytt_navn }}».")
    d.add_paragraph("Det nye navnet gjelder fra {{ gjelder_fra }}. Tjenesten skal bruke det "
                    "godkjente navnet. Tjenestens innhold er uendret.")
    d.add_paragraph("{%p elif innholdsendring %}")
    d.add_paragraph("Helsedirektoratet godkjenner endret innhold i {{ tjenestetype_liten }} "
                    "«{{ gjelder_tjeneste }}» ved {{ helseforetak }}.")
    d.add_paragraph("Endringen gjelder fra {{ gjelder_fra }}. Tjenesten skal tilby tjenester "
                    "i samsvar med den nye beskrivelsen av innhold, formål og avgrensning:")
    d.add_paragraph("{{ ny_beskrivelse }}")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Helsedirektoratet godkjenner {{ tjenestetype_liten }} «{{ tjenestenavn }}» "
                    "ved {{ helseforetak }}.")
    d.add_paragraph("Godkjenningen gjelder fra {{ gjelder_fra }}.")
    d.add_paragraph("Tjenesten skal være etablert innen {{ etablert_innen }}, det vil si innen "
                    "ett år etter godkjenningen. Tjenesten skal rapportere årlig fra året etter "
                    "at den er etablert.")
    d.add_paragraph("{%p if funksjon %}")
    d.add_paragraph("Tjenesten har funksjonen «{{ funksjon }}» med en virketid på "
                    "{{ virketid_ar }} år, til og med {{ virketid_slutt }}.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p endif %}")


def decision_letter() -> None:
    d = new_document()
    d.add_paragraph("Helsedirektoratet")
    d.add_paragraph("Til: {{ region }} RHF")
    d.add_paragraph("Kopi: {{ helseforetak }}; Helse- og omsorgsdepartementet")
    d.add_paragraph("Dato: {{ vedtaksdato }}")
    d.add_paragraph("{%p if saksnummer %}")
    d.add_paragraph("Vår referanse: {{ saksnummer }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p if kontaktperson %}")
    d.add_paragraph("Kontaktperson: {{ kontaktperson }}, {{ kontakt_epost }}"
                    "{% if kontakt_telefon %}, telefon {{ kontakt_telefon }}{% endif %}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Vedtak om {{ tjenestetype_liten }}: {{ tjenestenavn }}", style="Title")
    d.add_paragraph(
        "Vi viser til den samlede søknaden om nasjonale tjenester i spesialisthelsetjenesten "
        "fra de regionale helseforetakene for søknadsrunden {{ runde }}, og til søknaden fra "
        "{{ helseforetak }} om {{ tjenestetype_liten }} «{{ tjenestenavn }}»"
        "{% if soknadstype %} ({{ soknadstype }}){% endif %}."
    )
    d.add_paragraph("Vedtak: {{ vedtak_tekst }}", style="Heading 1")
    d.add_paragraph("{%p if godkjent %}")
    approval_paragraphs(d)
    d.add_paragraph("{%p elif avslatt %}")
    d.add_paragraph("Helsedirektoratet avslår søknaden om {{ tjenestetype_liten }} "
                    "«{{ tjenestenavn }}» ved {{ helseforetak }}.")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Helsedirektoratet utsetter vedtaket om {{ tjenestetype_liten }} "
                    "«{{ tjenestenavn }}» ved {{ helseforetak }} for videre vurdering.")
    d.add_paragraph("Endelig vedtak fattes senest {{ utsatt_til }}. Helsedirektoratet kan be "
                    "det regionale helseforetaket om mer informasjon.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Begrunnelse", style="Heading 1")
    d.add_paragraph("{%p if begrunnelse %}")
    d.add_paragraph("{{ begrunnelse }}")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Ingen særskilt begrunnelse er gitt.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p if klage %}")
    d.add_paragraph("Klageadgang", style="Heading 1")
    d.add_paragraph("{{ klage }}")
    d.add_paragraph("{%p endif %}")
    signature(d)
    footer(d, "Vedtak: {{ tjenestenavn }}")
    save(d, "vedtaksbrev.docx", "Vedtaksbrev")


# --------------------------------------------------------------------------- the round's feedback


def round_letter() -> None:
    """Helsedirektoratet's overall feedback on 1 December to the four RHFs, copy to the
    ministry (Veileder for nasjonale tjenester i spesialisthelsetjenesten, kap. 3)."""
    d = new_document()
    d.add_paragraph("Helsedirektoratet")
    d.add_paragraph("Til: " + RHFS.replace(" · ", ", "))
    d.add_paragraph("Kopi: {{ kopi }}")
    d.add_paragraph("Dato: {{ dato }}")
    d.add_paragraph("{%p if kontaktperson %}")
    d.add_paragraph("Kontaktperson: {{ kontaktperson }}, {{ kontakt_epost }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Samlet tilbakemelding om nasjonale tjenester – søknadsrunden {{ runde }}",
                    style="Title")
    d.add_paragraph(
        "Helsedirektoratet gir med dette sin samlede tilbakemelding til de regionale "
        "helseforetakene om opprettelse, endring og avvikling av nasjonale tjenester i "
        "spesialisthelsetjenesten for søknadsrunden {{ runde }}. Tilbakemeldingen bygger på den "
        "samlede og prioriterte søknaden fra de regionale helseforetakene og på "
        "tilrådningene fra Rådgivingsgruppen for nasjonale tjenester. Helse- og "
        "omsorgsdepartementet får kopi.")
    d.add_paragraph(
        "Den samlede søknaden omfattet {{ antall }} søknader: {{ antall_godkjent }} er godkjent, "
        "{{ antall_avslatt }} er avslått og {{ antall_utsatt }} er utsatt for videre vurdering."
        "{% if antall_ikke_avgjort != '0' %} {{ antall_ikke_avgjort }} er ikke avgjort ennå."
        "{% endif %}")
    d.add_paragraph("Hver søknad har fått sitt eget vedtaksbrev med begrunnelse og datoer. "
                    "Vedtakene kan ikke påklages.")
    d.add_paragraph("Søknadene i nasjonal prioritert rekkefølge", style="Heading 1")
    outcomes = loop_table(d, ["Prioritet", "Tjeneste", "Helseforetak", "Søknadstype", "Utfall"],
                          "for soknad in soknader",
                          ["{{ soknad.rang }}", "{{ soknad.navn }}", "{{ soknad.helseforetak }}",
                           "{{ soknad.soknadstype }}", "{{ soknad.utfall_tekst }}"])
    fit_columns(outcomes, [2.1, 4.9, 3.6, 2.7, 2.7])
    second_line(outcomes.rows[2].cells[2], "{{ soknad.region }}")
    d.add_paragraph("Utfallet for hver region", style="Heading 1")
    d.add_paragraph("{%p for region in regioner %}")
    d.add_paragraph("{{ region.region }} RHF", style="Heading 2")
    d.add_paragraph("{%p if region.soknader %}")
    d.add_paragraph("{%p for soknad in region.soknader %}")
    d.add_paragraph("{{ soknad.rang }}. {{ soknad.navn }} ({{ soknad.helseforetak }}, "
                    "{{ soknad.soknadstype|lower }}): {{ soknad.utfall_tekst }}"
                    "{% if soknad.vedtaksdato %}, vedtak {{ soknad.vedtaksdato }}{% endif %}"
                    "{% if soknad.endelig_innen %}; endelig vedtak senest "
                    "{{ soknad.endelig_innen }}{% endif %}."
                    "{% if soknad.anbefaling %} {{ soknad.anbefaling }}.{% endif %}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Regionen hadde ingen søknader i den samlede søknaden.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p endfor %}")
    signature(d)
    footer(d, "Samlet tilbakemelding om nasjonale tjenester {{ runde }}")
    save(d, "samlet_tilbakemelding.docx", "Samlet tilbakemelding")


# --------------------------------------------------------------------------- the reports


def report_letter() -> None:
    """Helsedirektoratet's assessment of one region's annual reports by 1 June, with notice of
    proposed changes or terminations and the supplementary reporting asked for by 1 September
    (Nasjonale tjenester i spesialisthelsetjenesten – veileder, kap. IV)."""
    d = new_document()
    d.add_paragraph("Helsedirektoratet")
    d.add_paragraph("Til: {{ rhf }}")
    d.add_paragraph("Dato: {{ dato }}")
    d.add_paragraph("{%p if kontaktperson %}")
    d.add_paragraph("Kontaktperson: {{ kontaktperson }}, {{ kontakt_epost }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Vurdering av årsrapportene for {{ aar }} – {{ region }}", style="Title")
    d.add_paragraph(
        "Helsedirektoratet har vurdert årsrapportene for {{ aar }} fra de nasjonale tjenestene "
        "i {{ region }}, slik de regionale helseforetakene sendte dem videre. Vurderingen gis "
        "innen {{ vurderingsfrist }}, med varsel om forslag til endring eller avvikling. Ved "
        "mangelfull rapportering ber Helsedirektoratet om tilleggsrapportering innen "
        "{{ tilleggsfrist }}.")
    d.add_paragraph(
        "Helsedirektoratet har mottatt {{ antall }} årsrapporter fra regionen: "
        "{{ antall_i_orden }} oppfyller kravene, {{ antall_oppfolging }} har punkter til "
        "oppfølging, {{ antall_endring }} gir forslag om endring og {{ antall_avvikling }} "
        "forslag om avvikling."
        "{% if antall_ikke_vurdert != '0' %} {{ antall_ikke_vurdert }} er ikke vurdert ennå."
        "{% endif %}")
    d.add_paragraph("Vurderingen av hver tjeneste", style="Heading 1")
    outcomes = loop_table(d, ["Tjeneste", "Helseforetak", "Kom i tide", "Vurdering"],
                          "for tjeneste in tjenester",
                          ["{{ tjeneste.navn }}", "{{ tjeneste.helseforetak }}",
                           "{{ tjeneste.i_tide_tekst }}", "{{ tjeneste.utfall_tekst }}"])
    fit_columns(outcomes, [5.6, 4.2, 2.0, 4.2])
    second_line(outcomes.rows[2].cells[0], "{{ tjeneste.tjenestetype }}")
    report_letter_sections(d)
    footer(d, "Vurdering av årsrapportene {{ aar }} – {{ region }}")
    save(d, "vurdering_arsrapporter.docx", "Vurdering av årsrapportene")


def report_letter_sections(d: Document) -> None:
    """The assessment letter after its table: points, proposals, supplements, signature."""
    d.add_paragraph("{%p if oppfolging %}")
    d.add_paragraph("Punkter til oppfølging", style="Heading 1")
    d.add_paragraph("{%p for tjeneste in oppfolging %}")
    d.add_paragraph("{{ tjeneste.navn }}", style="Heading 2")
    d.add_paragraph("{{ tjeneste.utfall_tekst }}: {{ tjeneste.punkter }}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Forslag om endring eller avvikling", style="Heading 1")
    d.add_paragraph("{%p if forslag %}")
    d.add_paragraph("{%p for tjeneste in forslag %}")
    d.add_paragraph("{{ tjeneste.navn }} ({{ tjeneste.helseforetak }}): "
                    "{{ tjeneste.utfall_tekst }}.")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("Et forslag om endring eller avvikling behandles som en søknad i en senere "
                    "søknadsrunde; tjenesten fortsetter som før til et vedtak er fattet.")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Helsedirektoratet foreslår ingen endring eller avvikling av tjenestene i "
                    "regionen.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Tilleggsrapportering innen {{ tilleggsfrist }}", style="Heading 1")
    d.add_paragraph("{%p if tillegg %}")
    d.add_paragraph("{%p for tjeneste in tillegg %}")
    d.add_paragraph("{{ tjeneste.navn }} ({{ tjeneste.helseforetak }}): {{ tjeneste.tillegg }}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p else %}")
    d.add_paragraph("Helsedirektoratet ber ikke om tilleggsrapportering fra regionen.")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p if mangler %}")
    d.add_paragraph("Årsrapporter som ikke er mottatt", style="Heading 1")
    d.add_paragraph("{%p for tjeneste in mangler %}")
    d.add_paragraph("{{ tjeneste.navn }} ({{ tjeneste.helseforetak }}): {{ tjeneste.status }}")
    d.add_paragraph("{%p endfor %}")
    d.add_paragraph("{%p endif %}")
    signature(d)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    application()
    cover_letter()
    decision_letter()
    round_letter()
    report_letter()
    for path in sorted(OUT.glob("*.docx")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} byte")


if __name__ == "__main__":
    main()
