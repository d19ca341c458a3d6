from django.urls import path

from safemoves.reciprocal.views import coordination as coordination_views
from safemoves.reciprocal.views import moving as moving_views
from safemoves.reciprocal.views import offers as offer_views
from safemoves.reciprocal.views import pool as pool_views
from safemoves.reciprocal.views import requests as request_views

app_name = "reciprocal"

urlpatterns = [
    path("", request_views.request_list_view, name="requests"),
    path("cases/<uuid:case_id>/new/", request_views.request_create_view, name="request_create"),
    path("requests/<uuid:request_id>/", request_views.request_detail_view, name="request_detail"),
    path("requests/<uuid:request_id>/approve/", request_views.request_approve_view, name="request_approve"),
    path("requests/<uuid:request_id>/circulate/", request_views.request_circulate_view, name="request_circulate"),
    path("requests/<uuid:request_id>/withdraw/", request_views.request_withdraw_view, name="request_withdraw"),
    path("requests/<uuid:request_id>/close/", request_views.request_close_view, name="request_close"),
    path("pool/", pool_views.pool_view, name="pool"),
    path("pool/<uuid:request_id>/", pool_views.pool_request_view, name="pool_request"),
    path("homes/", pool_views.home_list_view, name="homes"),
    path("homes/<uuid:home_id>/", pool_views.home_fits_view, name="home_fits"),
    path("homes/<uuid:home_id>/offer/", pool_views.offer_create_view, name="offer_create"),
    path("proposals/<uuid:proposal_id>/decide/", pool_views.proposal_decide_view, name="proposal_decide"),
    path("offers/<uuid:offer_id>/", offer_views.offer_detail_view, name="offer_detail"),
    path("offers/<uuid:offer_id>/decide/", offer_views.offer_decide_view, name="offer_decide"),
    path("offers/<uuid:offer_id>/withdraw/", offer_views.offer_withdraw_view, name="offer_withdraw"),
    path("offers/<uuid:offer_id>/release/", offer_views.identity_release_view, name="identity_release"),
    path("offers/<uuid:offer_id>/move/", offer_views.move_record_view, name="move_record"),
    path("moves/<uuid:move_id>/", offer_views.move_detail_view, name="move_detail"),
    path("moves/<uuid:move_id>/check-in/", offer_views.move_check_in_view, name="move_check_in"),
    path("offers/<uuid:offer_id>/moving/", moving_views.moving_view, name="moving"),
    path("offers/<uuid:offer_id>/viewings/", moving_views.viewing_arrange_view, name="viewing_arrange"),
    path("viewings/<uuid:viewing_id>/outcome/", moving_views.viewing_outcome_view, name="viewing_outcome"),
    path("offers/<uuid:offer_id>/sign-up/", moving_views.sign_up_view, name="sign_up"),
    path("offers/<uuid:offer_id>/handover-consent/", moving_views.handover_consent_view, name="handover_consent"),
    path("handovers/<uuid:handover_id>/", moving_views.handover_detail_view, name="handover_detail"),
    path("matching/", coordination_views.matching_view, name="matching"),
    path("ledger/", coordination_views.ledger_view, name="ledger"),
    path("ledger/<int:entry_id>/correct/", coordination_views.ledger_correct_view, name="ledger_correct"),
    path("policy/", coordination_views.policy_view, name="policy"),
]
