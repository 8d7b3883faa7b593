from django.urls import path

from . import tokens

app_name = "api_tokens"
urlpatterns = [
    path("", tokens.token_list, name="list"),
    path("<str:token_key>/revoquer/", tokens.token_revoke, name="revoke"),
]
