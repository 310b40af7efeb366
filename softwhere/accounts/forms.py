from django import forms


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Nom du jeton",
        max_length=100,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm", "placeholder": "ex. supervision, script ADV"}),
    )
