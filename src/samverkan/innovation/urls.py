"""Included at ``agreements/<int:pk>/innovation/`` with the namespace "innovation"."""

from django.urls import path

from samverkan.innovation import (
    attachment_views,
    board_views,
    effect_views,
    idea_edit_views,
    idea_views,
    people_views,
    views,
)
from samverkan.innovation.rate_views import rate_page

app_name = "innovation"

urlpatterns = [
    path("", views.framework_page, name="framework"),
    path("edit/", views.framework_edit, name="edit"),
    path("ideas/", idea_views.ideas_page, name="ideas"),
    path("ideas/export.xlsx", board_views.register_export, name="ideas_export"),
    path("board/", board_views.board_page, name="board"),
    path("board/<int:number>/move/", board_views.board_move, name="board_move"),
    path("rate/", rate_page, name="rate"),
    path("ideas/new/", idea_views.idea_new, name="idea_new"),
    path("ideas/<int:number>/", idea_views.idea_page, name="idea"),
    path("ideas/<int:number>/transition/", idea_views.idea_transition, name="idea_transition"),
    path("ideas/<int:number>/refer/", idea_views.idea_refer, name="idea_refer"),
    path("ideas/<int:number>/edit/", idea_edit_views.idea_edit, name="idea_edit"),
    path(
        "ideas/<int:number>/attachments/",
        attachment_views.idea_attachment_add,
        name="idea_attachments",
    ),
    path(
        "ideas/<int:number>/attachments/<int:attachment>/",
        attachment_views.idea_attachment,
        name="idea_attachment",
    ),
    path(
        "ideas/<int:number>/attachments/<int:attachment>/remove/",
        attachment_views.idea_attachment_remove,
        name="idea_attachment_remove",
    ),
    path("ideas/<int:number>/evaluators/", idea_views.idea_evaluators, name="idea_evaluators"),
    path("ideas/<int:number>/scores/", idea_views.idea_score, name="idea_score"),
    path("ideas/<int:number>/people/", people_views.people_save, name="idea_people"),
    path(
        "ideas/<int:number>/people/actions/",
        people_views.action_add,
        name="idea_people_action_add",
    ),
    path(
        "ideas/<int:number>/people/actions/<int:action>/",
        people_views.action_edit,
        name="idea_people_action_edit",
    ),
    path(
        "ideas/<int:number>/people/actions/<int:action>/done/",
        people_views.action_mark,
        name="idea_people_action_mark",
    ),
    path(
        "ideas/<int:number>/people/actions/<int:action>/remove/",
        people_views.action_remove,
        name="idea_people_action_remove",
    ),
    path("ideas/<int:number>/effect/", effect_views.idea_effect, name="idea_effect"),
    path("effects/", effect_views.effects_page, name="effects"),
    path("effects/fund/", effect_views.fund_entry_add, name="fund_add"),
    path("effects/fund/<int:entry>/remove/", effect_views.fund_entry_remove, name="fund_remove"),
    path(
        "ideas/<int:number>/evaluation/close/",
        idea_views.idea_evaluation_close,
        name="idea_evaluation_close",
    ),
]
