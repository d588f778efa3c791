"""The hearing table's text (the "date of approval" column holds remarks in the reference
catalogues, and the comment central finance registers) carries the same bits of markup as
the narrative texts: the page, the case page and the PDF show them as formatting, never a
literal <i>, and sanitised like every narrative text (cases.richtext)."""

import pytest

from annex import pdf
from cases.models import HearingAnswer

from ..factories import bc01
from .conftest import pdftotext

pytestmark = [pytest.mark.django_db, pytest.mark.tools("pdftotext")]

REMARK = "Vurderes. <i>Afsnittet udfyldes af Den Tværgående Analyseenhed</i> <script>x</script>"


def test_hearing_remarks_are_formatted_not_printed_as_tags(client, central_user, tmp_path):
    proposal = bc01()
    HearingAnswer.objects.create(proposal=proposal, body="Velfærdsanalytisk vurdering",
                                 answer="no", date_text=REMARK, comment="Se <i>bilag</i>",
                                 order=9)  # fmt: skip
    client.force_login(central_user)
    for url in (proposal.get_absolute_url(), f"/sager/{proposal.pk}/"):
        html = client.get(url).content.decode()
        assert "&lt;i&gt;" not in html, url
        assert "<i>Afsnittet udfyldes af Den Tværgående Analyseenhed</i>" in html, url
        assert "<script>x" not in html, url
    assert "Se <i>bilag</i>" in client.get(f"/sager/{proposal.pk}/").content.decode()

    out = tmp_path / "hearing.pdf"
    pdf.render_proposal_pdf(proposal, out)
    printed = pdftotext(out)
    assert "Afsnittet udfyldes" in printed
    assert "<i>" not in printed and "</i>" not in printed
