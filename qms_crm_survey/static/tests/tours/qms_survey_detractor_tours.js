import { registry } from "@web/core/registry";
import { qmsScreenshot } from "@qms_crm_evidence/../tests/tours/qms_tour_utils";

/**
 * ISO 9001 9.1.2: a customer answers the NPS survey of their invitation link
 * (no login, the answer token identifies them) with a detractor score.
 */
registry.category("web_tour.tours").add("qms_survey_detractor_answer_tour", {
    steps: () => [
        {
            content: "Start the survey",
            trigger: "button.btn:contains(Start)",
            run: "click",
        },
        {
            content: "Score 3 out of 10",
            trigger: "div.js_question-wrapper:contains(recommend us) label.o_survey_choice_btn:has(input[value='3'])",
            run: "click",
        },
        {
            content: "Say why",
            trigger: "div.js_question-wrapper:contains(main reason) textarea",
            run: "edit Two late deliveries in a row.",
        },
        qmsScreenshot("survey_nps_detractor"),
        {
            content: "Submit",
            trigger: "button[value=finish]:not(.disabled)",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer button.btn-primary:contains(Submit)",
            run: "click",
        },
        {
            content: "Thanked",
            trigger: ".o_survey_finished",
        },
    ],
});

/**
 * Staff see the detractor answer and the service-recovery complaint it opened.
 */
registry.category("web_tour.tours").add("qms_survey_recovery_staff_tour", {
    steps: () => [
        {
            content: "The detractor answer is listed with its score",
            trigger: ".o_list_view .o_data_row:contains(QMS Survey Customer):contains(Detractor) .o_data_cell[name=qms_customer_id]",
            run: "click",
        },
        {
            content: "It opened a recovery complaint",
            trigger: ".o_form_view button[name=action_qms_open_recovery]",
        },
        qmsScreenshot("survey_detractor_answer"),
        {
            content: "Open the recovery complaint",
            trigger: ".o_form_view button[name=action_qms_open_recovery]",
            run: "click",
        },
        {
            content: "It is a complaint of the customer",
            trigger: ".o_form_view .o_notebook a.nav-link[name=qms_complaint]",
        },
        {
            content: "about the survey answer",
            trigger: ".o_form_view button[name=action_qms_view_survey_inputs]",
        },
    ],
});
