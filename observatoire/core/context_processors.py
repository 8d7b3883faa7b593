from django.conf import settings


def network(request):
    return {"NETWORK_NAME": settings.NETWORK_NAME}
