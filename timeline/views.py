from django.shortcuts import get_object_or_404, render

from .models import Event, Measure


def index(request):
    events = Event.objects.public().with_relations()[:50]
    return render(request, "timeline/index.html", {"events": events})


def event_detail(request, slug):
    event = get_object_or_404(Event.objects.public().with_relations(), slug=slug)
    return render(request, "timeline/event_detail.html", {"event": event})


def measure_detail(request, slug):
    measure = get_object_or_404(Measure, slug=slug)
    return render(request, "timeline/measure_detail.html", {"measure": measure})
