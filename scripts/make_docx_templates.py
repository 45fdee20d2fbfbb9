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
    loop_table(d, ["Prioritet", "Tjeneste", "Tjenestetype", "Helseregion", "Helseforetak"],
               "for soknad in soknader",
               ["{{ soknad.rang }}", "{{ soknad.navn }}", "{{ soknad.tjenestetype }}",
                "{{ soknad.region }}", "{{ soknad.helseforetak }}"])
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
    d.add_paragraph("De regionale helseforetakenes samtykke", style="Heading 1")
    d.add_paragraph("Prioriteringslisten ble låst da alle fire regionale helseforetak hadde "
                    "samtykket til den.")
    loop_table(d, ["Helseregion", "Svar", "Gitt av", "Tidspunkt", "Merknad"],
               "for samtykke in samtykker",
               ["{{ samtykke.region }}", "{{ samtykke.beslutning }}", "{{ samtykke.gitt_av }}",
                "{{ samtykke.tidspunkt }}", "{{ samtykke.kommentar }}"])
    d.add_paragraph("Vedlegg", style="Heading 1")
    d.add_paragraph("Hver søknad følger som Word-dokument i prioritert rekkefølge, med sine "
                    "vedlegg. Filen manifest.json lister alle filene i pakken med størrelse og "
                    "SHA-256-sjekksum.")
    d.add_paragraph("Med vennlig hilsen")
    d.add_paragraph(RHFS)
    d.add_paragraph("Dokumentet er godkjent elektronisk og har derfor ingen håndskrevne "
                    "signaturer.")
    footer(d, "Samlet søknad om nasjonale tjenester {{ runde }}")
    save(d, "samlet_soknad.docx", "Samlet søknad om nasjonale tjenester")


# --------------------------------------------------------------------------- the decision


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
    d.add_paragraph("Med hilsen")
    d.add_paragraph("{%p if underskriver %}")
    d.add_paragraph("{{ underskriver }}")
    d.add_paragraph("{{ underskriver_tittel }}")
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("Helsedirektoratet")
    d.add_paragraph("Brevet er godkjent elektronisk og har derfor ingen håndskrevne signaturer.")
    footer(d, "Vedtak: {{ tjenestenavn }}")
    save(d, "vedtaksbrev.docx", "Vedtaksbrev")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    application()
    cover_letter()
    decision_letter()
    for path in sorted(OUT.glob("*.docx")):
        print(f"{path.relative_to(ROOT)}  {path.stat().st_size} byte")


if __name__ == "__main__":
    main()
