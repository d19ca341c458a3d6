from django.urls import path

from safemoves.reciprocal import views

app_name = "reciprocal"

urlpatterns = [
    path("", views.request_list_view, name="requests"),
    path("cases/<uuid:case_id>/new/", views.request_create_view, name="request_create"),
    path("requests/<uuid:request_id>/", views.request_detail_view, name="request_detail"),
    path("requests/<uuid:request_id>/approve/", views.request_approve_view, name="request_approve"),
    path("requests/<uuid:request_id>/circulate/", views.request_circulate_view, name="request_circulate"),
    path("requests/<uuid:request_id>/withdraw/", views.request_withdraw_view, name="request_withdraw"),
    path("requests/<uuid:request_id>/close/", views.request_close_view, name="request_close"),
    path("pool/", views.pool_view, name="pool"),
    path("pool/<uuid:request_id>/", views.pool_request_view, name="pool_request"),
    path("homes/", views.home_list_view, name="homes"),
    path("homes/<uuid:home_id>/", views.home_fits_view, name="home_fits"),
    path("homes/<uuid:home_id>/offer/", views.offer_create_view, name="offer_create"),
    path("proposals/<uuid:proposal_id>/decide/", views.proposal_decide_view, name="proposal_decide"),
    path("offers/<uuid:offer_id>/", views.offer_detail_view, name="offer_detail"),
    path("offers/<uuid:offer_id>/decide/", views.offer_decide_view, name="offer_decide"),
    path("offers/<uuid:offer_id>/withdraw/", views.offer_withdraw_view, name="offer_withdraw"),
    path("offers/<uuid:offer_id>/release/", views.identity_release_view, name="identity_release"),
    path("offers/<uuid:offer_id>/move/", views.move_record_view, name="move_record"),
    path("moves/<uuid:move_id>/", views.move_detail_view, name="move_detail"),
    path("moves/<uuid:move_id>/check-in/", views.move_check_in_view, name="move_check_in"),
    path("offers/<uuid:offer_id>/moving/", views.moving_view, name="moving"),
    path("offers/<uuid:offer_id>/viewings/", views.viewing_arrange_view, name="viewing_arrange"),
    path("viewings/<uuid:viewing_id>/outcome/", views.viewing_outcome_view, name="viewing_outcome"),
    path("offers/<uuid:offer_id>/sign-up/", views.sign_up_view, name="sign_up"),
    path("offers/<uuid:offer_id>/handover-consent/", views.handover_consent_view, name="handover_consent"),
    path("handovers/<uuid:handover_id>/", views.handover_detail_view, name="handover_detail"),
    path("matching/", views.matching_view, name="matching"),
    path("ledger/", views.ledger_view, name="ledger"),
    path("ledger/<int:entry_id>/correct/", views.ledger_correct_view, name="ledger_correct"),
    path("policy/", views.policy_view, name="policy"),
]
