def list_index(request):
    pass


def list_create(request, *a, **k):
    pass


def dynamic_count(request, *a, **k):
    pass


def list_detail(request, *a, **k):
    pass


def list_edit(request, *a, **k):
    pass


def subscriber_add(request, *a, **k):
    pass


def subscriber_import(request, *a, **k):
    pass


def list_export(request, *a, **k):
    pass


def address_unsubscribe(request, *a, **k):
    pass


def suppression_index(request, *a, **k):
    pass


def bounce_index(request, *a, **k):
    pass
