"""Upload of a customised document template."""

from flask_wtf.file import FileField, FileRequired

from forms.base import ClausierForm


class TemplateUploadForm(ClausierForm):
    """A DOCX replacing a default template for the organisation."""

    file = FileField("Modèle personnalisé (document Word .docx)",
                     validators=[FileRequired("Choisissez le fichier .docx du modèle.")],
                     render_kw={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"})
