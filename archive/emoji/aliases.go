package emoji

// slackNames maps the names Slack gives some emoji to the name GitHub's
// table has for the same emoji. Slack's names are those of its emoji data
// (github.com/iamcal/emoji-data, short_names); only names GitHub lacks are
// here, so an alias never hides a GitHub name (TestAliases checks both
// ends). It is read, never written.
var slackNames = map[string]string{
	// Faces and people.
	"simple_smile":                  "slightly_smiling_face", // Slack's own image; the closest emoji
	"rolling_on_the_floor_laughing": "rofl",
	"smiling_face_with_3_hearts":    "smiling_face_with_three_hearts",
	"star-struck":                   "star_struck",
	"hugging_face":                  "hugs",
	"face_with_hand_over_mouth":     "hand_over_mouth",
	"thinking_face":                 "thinking",
	"face_with_raised_eyebrow":      "raised_eyebrow",
	"face_with_rolling_eyes":        "roll_eyes",
	"face_vomiting":                 "vomiting_face",
	"face_with_cowboy_hat":          "cowboy_hat_face",
	"face_with_monocle":             "monocle_face",
	"face_with_symbols_on_mouth":    "cursing_face",
	"robot_face":                    "robot",
	"face_palm":                     "facepalm",
	"person_frowning":               "frowning_person",
	"person_with_pouting_face":      "pouting_face",
	"person_with_blond_hair":        "blond_haired_person",
	"person_in_steamy_room":         "sauna_person",
	"person_climbing":               "climbing",
	"person_doing_cartwheel":        "cartwheeling",
	"person_in_lotus_position":      "lotus_position",
	"fencer":                        "person_fencing",
	"wrestlers":                     "wrestling",
	"handball":                      "handball_person",
	"juggling":                      "juggling_person",
	"sleeping_accommodation":        "sleeping_bed",

	// Hands.
	"spock-hand":           "vulcan_salute",
	"i_love_you_hand_sign": "love_you_gesture",
	"the_horns":            "metal",
	"left-facing_fist":     "fist_left",
	"right-facing_fist":    "fist_right",

	// Animals, food, things.
	"lion_face":            "lion",
	"unicorn_face":         "unicorn",
	"zebra_face":           "zebra",
	"giraffe_face":         "giraffe",
	"kiwifruit":            "kiwi_fruit",
	"cheese_wedge":         "cheese",
	"glass_of_milk":        "milk_glass",
	"mate_drink":           "mate",
	"womans_flat_shoe":     "flat_shoe",
	"briefs":               "swim_brief",
	"drum_with_drumsticks": "drum",
	"camera_with_flash":    "camera_flash",
	"satellite_antenna":    "satellite",
	"shopping_trolley":     "shopping_cart",
	"scooter":              "kick_scooter",

	// Travel, weather, activities.
	"octagonal_sign":                    "stop_sign",
	"airplane_departure":                "flight_departure",
	"airplane_arriving":                 "flight_arrival",
	"umbrella_with_rain_drops":          "umbrella",
	"snowman_without_snow":              "snowman",
	"sports_medal":                      "medal_sports",
	"first_place_medal":                 "1st_place_medal",
	"second_place_medal":                "2nd_place_medal",
	"third_place_medal":                 "3rd_place_medal",
	"cricket_bat_and_ball":              "cricket_game",
	"field_hockey_stick_and_ball":       "field_hockey",
	"ice_hockey_stick_and_puck":         "ice_hockey",
	"table_tennis_paddle_and_ball":      "ping_pong",
	"badminton_racquet_and_shuttlecock": "badminton",
	"menorah_with_nine_branches":        "menorah",

	// The coloured circles and squares status messages use.
	"large_orange_circle": "orange_circle",
	"large_yellow_circle": "yellow_circle",
	"large_green_circle":  "green_circle",
	"large_purple_circle": "purple_circle",
	"large_brown_circle":  "brown_circle",
	"large_red_square":    "red_square",
	"large_orange_square": "orange_square",
	"large_yellow_square": "yellow_square",
	"large_green_square":  "green_square",
	"large_blue_square":   "blue_square",
	"large_purple_square": "purple_square",
	"large_brown_square":  "brown_square",
}
