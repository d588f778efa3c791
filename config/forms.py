"""The site's form renderer: Django's templates (so that project templates can
override widgets) with one field template for every form.

`templates/forms/field.html` keeps a field's label, help text (with its length limit),
errors and input together in one element, so that a grid of fields never puts a label
over another field's input (issue 12)."""

from django.forms.renderers import TemplatesSetting


class BilagFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
