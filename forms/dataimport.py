"""Form of the data import upload: the file, and the import profile to read it with (optional)."""

from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from forms.base import ClausierForm


class DataImportUploadForm(ClausierForm):
    """A spreadsheet of one kind of records, and optionally a saved profile to read it."""

    file = FileField("Fichier à importer (Excel, LibreOffice ou CSV)",
                     validators=[FileRequired("Choisissez le fichier à importer.")])
    # Choices (the kind's saved profiles) are set by the view.
    profile = SelectField("Profil d'import", validate_choice=True)
